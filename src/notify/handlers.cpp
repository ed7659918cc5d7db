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
      auto rows = notifications(db, user, before, unread_only, int(limit));
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
      out["next_before_id"] = std::int64_t(items.size()) == limit ? json::value(rows->back().id)
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
      auto found = mark_notification_read(db, id, user, iso_utc(clock()));
      if (!found) return found.error();
      if (!*found)
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
    auto r = co_await workers.run(
        [&] { return mark_all_notifications_read(db, user, iso_utc(clock())); });
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
