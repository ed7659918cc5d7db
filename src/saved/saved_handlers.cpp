#include "saved/saved_handlers.hpp"

#include <boost/json.hpp>

#include "http/problem.hpp"

namespace griha::saved {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::bhttp::field;
using http::bhttp::status;

// Only called on routes whose Access requires a principal.
std::int64_t user_of(const http::Request& req) {
  return req.principal->user_id;
}

http::Response bad_link(const Error& e) {
  return http::link_page("Link not valid", "<p>" + http::html_escape(e.message) + "</p>",
                         http::status_for(e.kind));
}

json::object search_json(const SavedSearch& s) {
  return to_json(s);
}

}  // namespace

http::Handler SavedHandlers::shortlist_add() const {
  return [&s = shortlist, &w = workers](http::Request& req) -> http::Reply {
    const auto user = user_of(req);
    const auto listing = req.int_param("listing_id");
    auto r = co_await w.run([&] { return s.add(user, listing); });
    if (!r) co_return r.error();
    co_return http::no_content();
  };
}

http::Handler SavedHandlers::shortlist_remove() const {
  return [&s = shortlist, &w = workers](http::Request& req) -> http::Reply {
    const auto user = user_of(req);
    const auto listing = req.int_param("listing_id");
    auto r = co_await w.run([&] { return s.remove(user, listing); });
    if (!r) co_return r.error();
    co_return http::no_content();
  };
}

http::Handler SavedHandlers::shortlist_list() const {
  return [&s = shortlist, &w = workers](http::Request& req) -> http::Reply {
    const auto user = user_of(req);
    auto r = co_await w.run([&] { return s.list(user); });
    if (!r) co_return r.error();
    json::array items;
    for (const auto& e : *r) {
      json::object o{{"listing_id", e.listing_id},
                     {"title", e.title},
                     {"added_at", e.added_at},
                     {"available", e.listing.has_value()}};
      o["listing"] = e.listing
                         ? json::value(listings::to_json(*e.listing, listings::View::public_view))
                         : json::value(nullptr);
      items.push_back(std::move(o));
    }
    auto res = http::json_response({{"items", std::move(items)}});
    res.set(field::cache_control, "private, no-cache");
    co_return res;
  };
}

http::Handler SavedHandlers::compare() const {
  return [&s = shortlist, &g = gazetteer, &w = workers](http::Request& req) -> http::Reply {
    auto ids = parse_compare_ids(req.query_param("ids").value_or(""));
    if (!ids) co_return ids.error();
    auto r = co_await w.run([&] { return s.compare(*ids); });
    if (!r) co_return r.error();
    co_return http::json_response(compare_json(*r, g));
  };
}

http::Handler SavedHandlers::search_create() const {
  return [&s = searches, &w = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    const auto user = user_of(req);
    auto r = co_await w.run([&] { return s.create(user, *body); });
    if (!r) co_return r.error();
    auto res = http::json_response(search_json(*r), status::created);
    res.set(field::location, "/api/v1/me/saved-searches/" + std::to_string(r->id));
    co_return res;
  };
}

http::Handler SavedHandlers::search_list() const {
  return [&s = searches, &w = workers](http::Request& req) -> http::Reply {
    const auto user = user_of(req);
    auto r = co_await w.run([&] { return s.list(user); });
    if (!r) co_return r.error();
    json::array items;
    for (const auto& one : *r) items.push_back(search_json(one));
    co_return http::json_response({{"saved_searches", std::move(items)}});
  };
}

http::Handler SavedHandlers::search_update() const {
  return [&s = searches, &w = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    const auto user = user_of(req);
    const auto id = req.int_param("id");
    auto r = co_await w.run([&] { return s.update(user, id, *body); });
    if (!r) co_return r.error();
    co_return http::json_response(search_json(*r));
  };
}

http::Handler SavedHandlers::search_delete() const {
  return [&s = searches, &w = workers](http::Request& req) -> http::Reply {
    const auto user = user_of(req);
    const auto id = req.int_param("id");
    auto r = co_await w.run([&] { return s.remove(user, id); });
    if (!r) co_return r.error();
    co_return http::no_content();
  };
}

http::Handler SavedHandlers::unsubscribe_page() const {
  return [&s = searches, &w = workers](http::Request& req) -> http::Reply {
    const auto token = req.query_param("token").value_or("");
    auto r = co_await w.run([&] { return s.by_token(token); });
    if (!r) co_return bad_link(r.error());
    if (!*r)
      co_return http::link_page(
          "Alerts are off",
          "<p>This saved search no longer exists, so no alerts will be sent for it.</p>");
    const SavedSearch& found = **r;
    if (found.frequency == Frequency::off)
      co_return http::link_page("Alerts are off", "<p>You get no more alerts for “" +
                                                      http::html_escape(found.name) + "”.</p>");
    // A button, not an action on GET: mail scanners open links to check them.
    co_return http::link_page(
        "Stop these alerts?",
        "<p>Stop the email alerts for your saved search “" + http::html_escape(found.name) +
            "”? The search stays saved; you can turn alerts back on from your account.</p>"
            "<form method=\"post\" action=\"/api/v1/saved-searches/unsubscribe?token=" +
            http::html_escape(token) +
            "\"><button type=\"submit\" name=\"List-Unsubscribe\" value=\"One-Click\">"
            "Stop alerts</button></form>");
  };
}

http::Handler SavedHandlers::unsubscribe() const {
  return [&s = searches, &w = workers](http::Request& req) -> http::Reply {
    const auto token = req.query_param("token").value_or("");
    auto r = co_await w.run([&] { return s.unsubscribe(token); });
    if (!r) co_return bad_link(r.error());
    co_return http::link_page("Alerts are off",
                              "<p>You will get no more email alerts for this saved search.</p>");
  };
}

}  // namespace griha::saved
