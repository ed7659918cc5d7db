#include "notify/handlers.hpp"

#include <boost/json.hpp>
#include <limits>

#include "http/problem.hpp"
#include "notify/outbox.hpp"

namespace griha::notify {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::bhttp::status;

constexpr std::int64_t k_no_cursor = std::numeric_limits<std::int64_t>::max();

json::value opt(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

}  // namespace

http::Handler NotifyHandlers::my_notifications() const {
  return [&db = db, &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    auto limit = http::int_query_param(req, "limit", 20, 1, 100);
    if (!limit) co_return http::problem_response(limit.error(), req.path);
    auto before = http::int_query_param(req, "before_id", k_no_cursor, 1, k_no_cursor);
    if (!before) co_return http::problem_response(before.error(), req.path);
    const auto unread_param = req.query_param("unread");
    if (unread_param && *unread_param != "true" && *unread_param != "false")
      co_return http::problem_response(
          Error::field("unread", "invalid_boolean", "unread must be true or false."), req.path);
    const bool unread_only = unread_param == "true";
    const auto user = req.principal->user_id;
    auto r = co_await workers.run([&]() -> Result<json::object> {
      auto rows = notifications(db, user, *before, unread_only, int(*limit));
      if (!rows) return rows.error();
      auto unread = unread_notifications(db, user);
      if (!unread) return unread.error();
      json::array items;
      for (const auto& n : *rows)
        items.push_back({{"id", n.id},
                         {"kind", n.kind},
                         {"title", n.title},
                         {"body", n.body},
                         {"link", n.link},
                         {"created_at", n.created_at},
                         {"read_at", opt(n.read_at)}});
      json::object out{{"unread_count", *unread}};
      out["next_before_id"] = std::int64_t(items.size()) == *limit ? json::value(rows->back().id)
                                                                   : json::value(nullptr);
      out["items"] = std::move(items);
      return out;
    });
    if (!r) co_return http::problem_response(r.error(), req.path);
    co_return http::json_response(*r);
  };
}

http::Handler NotifyHandlers::mark_read() const {
  return [&db = db, &workers = workers,
          clock = clock](http::Request& req) -> asio::awaitable<http::Response> {
    const auto id = req.int_param("id");
    const auto user = req.principal->user_id;
    auto r = co_await workers.run([&]() -> Result<void> {
      auto found = mark_notification_read(db, id, user, iso_utc(clock()));
      if (!found) return found.error();
      if (!*found)
        return Error::make(ErrorKind::not_found, "notification_not_found",
                           "You have no notification with this id.");
      return {};
    });
    if (!r) co_return http::problem_response(r.error(), req.path);
    co_return http::no_content();
  };
}

http::Handler NotifyHandlers::mark_all_read() const {
  return [&db = db, &workers = workers,
          clock = clock](http::Request& req) -> asio::awaitable<http::Response> {
    const auto user = req.principal->user_id;
    auto r = co_await workers.run(
        [&] { return mark_all_notifications_read(db, user, iso_utc(clock())); });
    if (!r) co_return http::problem_response(r.error(), req.path);
    co_return http::no_content();
  };
}

http::Handler NotifyHandlers::admin_outbox() const {
  return [&db = db, &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    const auto st = req.query_param("status").value_or("dead");
    if (st != "pending" && st != "sent" && st != "dead" && st != "cancelled")
      co_return http::problem_response(
          Error::field("status", "invalid_status",
                       "status must be one of pending, sent, dead, cancelled."),
          req.path);
    auto limit = http::int_query_param(req, "limit", 50, 1, 200);
    if (!limit) co_return http::problem_response(limit.error(), req.path);
    auto before = http::int_query_param(req, "before_id", k_no_cursor, 1, k_no_cursor);
    if (!before) co_return http::problem_response(before.error(), req.path);
    auto r = co_await workers.run([&] { return list_outbox(db, st, *before, int(*limit)); });
    if (!r) co_return http::problem_response(r.error(), req.path);
    json::array items;
    for (const auto& e : *r)
      items.push_back({{"id", e.id},
                       {"delivery_id", e.delivery_id},
                       {"channel", e.channel},
                       {"kind", e.kind},
                       {"recipient", e.recipient},
                       {"subject", e.subject},
                       {"status", e.status},
                       {"attempts", e.attempts},
                       {"last_error", e.last_error},
                       {"next_attempt_at", e.next_attempt_at},
                       {"created_at", e.created_at},
                       {"sent_at", opt(e.sent_at)}});
    json::object out;
    out["next_before_id"] =
        std::int64_t(r->size()) == *limit ? json::value(r->back().id) : json::value(nullptr);
    out["items"] = std::move(items);
    co_return http::json_response(out);
  };
}

http::Handler NotifyHandlers::admin_retry() const {
  return [&db = db, &workers = workers, &dispatcher = dispatcher,
          clock = clock](http::Request& req) -> asio::awaitable<http::Response> {
    const auto id = req.int_param("id");
    auto r = co_await workers.run([&] { return retry_dead(db, id, iso_utc(clock())); });
    if (!r) co_return http::problem_response(r.error(), req.path);
    dispatcher.wake();
    co_return http::json_response(json::object{{"id", id}, {"status", "pending"}},
                                  status::accepted);
  };
}

}  // namespace griha::notify
