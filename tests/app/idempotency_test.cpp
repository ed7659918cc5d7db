// Idempotency-Key: the handler's writes and the stored answer commit together, so a request
// that dies after its commit is replayed, never run twice.
#include "app/idempotency.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include "support/storage_support.hpp"

namespace griha::app {
namespace {

namespace asio = boost::asio;
using storage::params;

constexpr storage::Query k_write{"idem_test_write", "INSERT INTO idem_test_writes (n) VALUES ($1)"};
constexpr storage::Query k_count{"idem_test_count", "SELECT COUNT(*) FROM idem_test_writes"};

class Idempotency : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_->exec_script("CREATE TABLE idem_test_writes (n INTEGER NOT NULL)"));
  }

  std::int64_t writes() { return db_->exec(k_count).value().rows.front().i64(0); }

  // A POST whose service writes one row in a transaction and, like the real ones, passes
  // http::keep_answer() in so the answer is stored before the commit. `crash` makes it hang
  // after the commit, as a process that dies there would.
  http::Handler writer(bool crash = false) {
    return [this, crash](http::Request& req) -> http::Reply {
      ++runs_;
      const auto render = [](std::int64_t n) {
        return http::json_response({{"wrote", n}}, http::bhttp::status::created);
      };
      const auto keep = http::keep_answer<std::int64_t>(req, render);
      auto r = co_await workers_.run([&]() -> Result<std::int64_t> {
        if (before_write_) before_write_();
        auto tx = db_->begin();
        if (!tx) return tx.error();
        if (auto w = tx->exec(k_write, params(runs_)); !w) return w.error();
        if (keep)
          if (auto k = keep(*tx, runs_); !k) return k.error();
        if (auto c = tx->commit(); !c) return c.error();
        return runs_;
      });
      if (!r) co_return r.error();
      if (crash) {
        hung_ = true;
        asio::steady_timer never(co_await asio::this_coro::executor, std::chrono::hours(1));
        co_await never.async_wait(asio::use_awaitable);
      }
      co_return render(*r);
    };
  }

  http::Request request(const std::string& key, const std::string& body) {
    http::Request req;
    req.raw = http::RawRequest{http::bhttp::verb::post, "/things", 11};
    req.raw.set("Idempotency-Key", key);
    req.raw.body() = body;
    req.path = "/things";
    req.remote_ip = "192.0.2.7";
    return req;
  }

  Result<http::Response> call(const http::Handler& h, http::Request& req) {
    asio::io_context ioc;
    auto done = asio::co_spawn(ioc, h(req), asio::use_future);
    ioc.run();
    return done.get();
  }

  http::Handler wrapped(http::Handler inner) {
    return idempotent(
        *db_, workers_, [this] { return now_; }, std::move(inner));
  }

  std::unique_ptr<test::ScratchDatabase> scratch_ = test::scratch_sqlite();
  std::unique_ptr<storage::Database> db_ = test::open_migrated(*scratch_);
  WorkerPool workers_{2};
  std::time_t now_ = 1'800'000'000;
  std::int64_t runs_ = 0;
  std::function<void()> before_write_;
  bool hung_ = false;  // the crashing handler has committed and will never go on
};

TEST_F(Idempotency, ACrashAfterTheCommitReplaysTheAnswerInsteadOfRunningAgain) {
  auto crashing = wrapped(writer(true));
  {
    auto req = request("k-1", R"({"a":1})");
    asio::io_context ioc;
    asio::co_spawn(ioc, crashing(req), asio::detached);
    // Run until the handler's transaction has committed, then drop everything: nothing
    // after the commit runs, as when the process dies there.
    for (int i = 0; i < 500 && !hung_; ++i) ioc.run_one_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(hung_);
    ASSERT_EQ(writes(), 1);
  }
  // Long after: a claim that was merely "started" would be taken over and run again.
  now_ += 3600;
  auto retry = wrapped(writer());
  auto req = request("k-1", R"({"a":1})");
  auto res = call(retry, req);
  ASSERT_TRUE(res) << res.error().code;
  EXPECT_EQ(res->result_int(), 201);
  EXPECT_EQ((*res)["Idempotent-Replayed"], "true");
  EXPECT_EQ(boost::json::parse(res->body()).at("wrote").as_int64(), 1);
  EXPECT_EQ(runs_, 1);
  EXPECT_EQ(writes(), 1);
}

TEST_F(Idempotency, AClaimTakenOverMeanwhileRollsTheLateRequestBack) {
  auto handler = wrapped(writer());
  auto late = request("k-2", "{}");
  // The first request stalls before it writes, long enough to look dead; a retry takes the
  // key over and completes.
  before_write_ = [&] {
    before_write_ = nullptr;
    now_ += 61;
    auto retry = request("k-2", "{}");
    auto r = call(handler, retry);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 201);
  };
  auto res = call(handler, late);
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, "idempotency_request_in_progress");
  EXPECT_EQ(writes(), 1);  // only the retry's row: the late one rolled back
  auto again = request("k-2", "{}");
  auto replay = call(handler, again);
  ASSERT_TRUE(replay);
  EXPECT_EQ((*replay)["Idempotent-Replayed"], "true");
  EXPECT_EQ(writes(), 1);
}

TEST_F(Idempotency, ReuseWithAnotherBodyIsUnprocessableAndErrorsAreNotKept) {
  auto handler = wrapped(writer());
  auto first = request("k-3", R"({"a":1})");
  ASSERT_TRUE(call(handler, first));
  auto other = request("k-3", R"({"a":2})");
  auto reused = call(handler, other);
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().kind, ErrorKind::unprocessable);
  EXPECT_EQ(reused.error().code, "idempotency_key_reused");

  // An error answer did nothing: the key is let go and a retry runs afresh.
  int failures = 1;
  auto flaky = wrapped([&](http::Request& req) -> http::Reply {
    if (failures-- > 0) co_return Error::make(ErrorKind::conflict, "slot_full", "Full.");
    co_return co_await writer()(req);
  });
  auto a = request("k-4", "{}");
  EXPECT_FALSE(call(flaky, a));
  auto b = request("k-4", "{}");
  auto ok = call(flaky, b);
  ASSERT_TRUE(ok);
  EXPECT_TRUE((*ok)["Idempotent-Replayed"].empty());
  EXPECT_EQ(writes(), 2);

  auto bad = request(std::string(300, 'x'), "{}");
  auto refused = call(handler, bad);
  ASSERT_FALSE(refused);
  ASSERT_EQ(refused.error().fields.size(), 1u);
  EXPECT_EQ(refused.error().fields[0].field, "/Idempotency-Key");
  EXPECT_EQ(refused.error().fields[0].in, FieldIn::header);
}

}  // namespace
}  // namespace griha::app
