// The pool that runs blocking work (database calls, password hashing, image processing) so
// that it never runs on an I/O thread. Coroutines `co_await pool.run(fn)` and resume on
// their own executor when fn returns.
#pragma once

#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

namespace griha {

class WorkerPool {
 public:
  explicit WorkerPool(int threads) : work_(ioc_.get_executor()) {
    for (int i = 0; i < threads; ++i)
      threads_.emplace_back([this] {
        // A little less CPU priority than the I/O threads (Linux applies nice per thread):
        // a burst of Argon2id hashing or image decoding then cannot stall every connection,
        // while under mixed load the workers still get a fair share.
        ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 5);
        ioc_.run();
      });
  }
  ~WorkerPool() { stop(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  template <class F>
  auto run(F fn) -> boost::asio::awaitable<std::invoke_result_t<F>> {
    using R = std::invoke_result_t<F>;
    // co_spawn onto the pool and await it: fn runs on a pool thread, the caller resumes on
    // its own executor, and exceptions travel back to the caller.
    if constexpr (std::is_void_v<R>) {
      co_await boost::asio::co_spawn(
          ioc_,
          [&]() -> boost::asio::awaitable<void> {
            fn();
            co_return;
          },
          boost::asio::use_awaitable);
    } else {
      // optional<R>: the completion handler needs a default-constructible value type.
      auto out = co_await boost::asio::co_spawn(
          ioc_, [&]() -> boost::asio::awaitable<std::optional<R>> { co_return fn(); },
          boost::asio::use_awaitable);
      co_return std::move(*out);
    }
  }

  // Finishes the queued work, then joins the threads.
  void stop() {
    work_.reset();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

}  // namespace griha
