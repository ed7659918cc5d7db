#include "notify/handlers.hpp"

#include <boost/json.hpp>
#include <limits>

#include "core/validation.hpp"
#include "notify/outbox.hpp"

namespace griha::notify {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::bhttp::status;
using storage::params;
using storage::Query;

constexpr Query k_list{"notifications_list", R"(
SELECT id, kind, title, body, link, created_at, read_at FROM notifications
WHERE user_id = $1 AND id < $2 AND ($3 = 0 OR read_at IS NULL)
ORDER BY id DESC LIMIT $4)"};
constexpr Query k_unread{"notifications_unread", R"(
SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL)"};
// The user id in the WHERE clause is the object-level check: another user's id matches nothing.
constexpr Query k_read{"notifications_read", R"(
UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2)"};
constexpr Query k_read_all{"notifications_read_all", R"(
UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL)"};

constexpr std::int64_t k_no_cursor = std::numeric_limits<std::int64_t>::max();

json::value opt(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

}  // namespace

http::Handler NotifyHandlers::my_notifications() const {
  return [&db = db, &workers = workers](http::Request& req) -> http::Reply {
    Problems problems(FieldIn::query);
    QueryReader query(req.query_params(), problems);
    const std::int64_t limit = query.integer("limit", 20, 1, 100);
    const std::int64_t before = query.integer("before_id", k_no_cursor, 1, k_no_cursor);
    const bool unread_only = query.boolean("unread", false);
    if (!problems.empty()) co_return problems.error();
    const auto user = req.principal->user_id;
    auto r = co_await workers.run([&]() -> Result<json::object> {
      auto rows = db.exec(k_list, params(user, before, unread_only, limit));
      if (!rows) return rows.error();
      auto unread = db.exec(k_unread, params(user));
      if (!unread) return unread.error();
      json::array items;
      for (const auto& row : rows->rows)
        items.push_back({{"id", row.i64(0)},
                         {"kind", row.text(1)},
                         {"title", row.text(2)},
                         {"body", row.text(3)},
                         {"link", row.text(4)},
                         {"created_at", row.text(5)},
                         {"read_at", opt(row.opt_text(6))}});
      json::object out{{"unread_count", unread->rows.front().i64(0)}};
      out["next_before_id"] = std::int64_t(items.size()) == limit
                                  ? json::value(rows->rows.back().i64(0))
                                  : json::value(nullptr);
      out["items"] = std::move(items);
      return out;
    });
    if (!r) co_return r.error();
    co_return http::json_response(*r);
  };
}

http::Handler NotifyHandlers::mark_read() const {
  return [&db = db, &workers = workers, clock = clock](http::Request& req) -> http::Reply {
    const auto id = req.int_param("id");
    const auto user = req.principal->user_id;
    auto r = co_await workers.run([&]() -> Result<void> {
      auto u = db.exec(k_read, params(id, user, iso_utc(clock())));
      if (!u) return u.error();
      if (u->affected == 0)
        return Error::make(ErrorKind::not_found, "notification_not_found",
                           "You have no notification with this id.");
      return {};
    });
    if (!r) co_return r.error();
    co_return http::no_content();
  };
}

http::Handler NotifyHandlers::mark_all_read() const {
  return [&db = db, &workers = workers, clock = clock](http::Request& req) -> http::Reply {
    const auto user = req.principal->user_id;
    auto r =
        co_await workers.run([&] { return db.exec(k_read_all, params(user, iso_utc(clock()))); });
    if (!r) co_return r.error();
    co_return http::no_content();
  };
}

http::Handler NotifyHandlers::admin_outbox() const {
  return [&db = db, &workers = workers](http::Request& req) -> http::Reply {
    Problems problems(FieldIn::query);
    QueryReader query(req.query_params(), problems);
    static constexpr std::string_view k_statuses[] = {"pending", "sent", "dead", "cancelled"};
    const std::string st = query.choice("status", "dead", k_statuses);
    const std::int64_t limit = query.integer("limit", 50, 1, 200);
    const std::int64_t before = query.integer("before_id", k_no_cursor, 1, k_no_cursor);
    if (!problems.empty()) co_return problems.error();
    auto r = co_await workers.run([&] { return list_outbox(db, st, before, int(limit)); });
    if (!r) co_return r.error();
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
        std::int64_t(r->size()) == limit ? json::value(r->back().id) : json::value(nullptr);
    out["items"] = std::move(items);
    co_return http::json_response(out);
  };
}

http::Handler NotifyHandlers::admin_retry() const {
  return [&db = db, &workers = workers, &dispatcher = dispatcher,
          clock = clock](http::Request& req) -> http::Reply {
    const auto id = req.int_param("id");
    auto r = co_await workers.run([&] { return retry_dead(db, id, iso_utc(clock())); });
    if (!r) co_return r.error();
    dispatcher.wake();
    co_return http::json_response(json::object{{"id", id}, {"status", "pending"}},
                                  status::accepted);
  };
}

}  // namespace griha::notify
