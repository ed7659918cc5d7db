// The pool that runs blocking work (database calls, password hashing, image processing) so
// that it never runs on an I/O thread. Coroutines `co_await pool.run(fn)` and resume on
// their own executor when fn returns.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <type_traits>

namespace griha {

class WorkerPool {
 public:
  explicit WorkerPool(int threads) : pool_(static_cast<std::size_t>(threads)) {}
  ~WorkerPool() { pool_.join(); }

  template <class F>
  auto run(F fn) -> boost::asio::awaitable<std::invoke_result_t<F>> {
    using R = std::invoke_result_t<F>;
    // co_spawn onto the pool and await it: fn runs on a pool thread, the caller resumes on
    // its own executor, and exceptions travel back to the caller.
    if constexpr (std::is_void_v<R>) {
      co_await boost::asio::co_spawn(
          pool_, [&]() -> boost::asio::awaitable<void> { fn(); co_return; },
          boost::asio::use_awaitable);
    } else {
      // optional<R>: the completion handler needs a default-constructible value type.
      auto out = co_await boost::asio::co_spawn(
          pool_, [&]() -> boost::asio::awaitable<std::optional<R>> { co_return fn(); },
          boost::asio::use_awaitable);
      co_return std::move(*out);
    }
  }

  void stop() { pool_.join(); }

 private:
  boost::asio::thread_pool pool_;
};

}  // namespace griha
