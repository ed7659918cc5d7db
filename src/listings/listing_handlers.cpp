#include "listings/listing_handlers.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "core/validation.hpp"

namespace griha::listings {
namespace {

namespace asio = boost::asio;
using http::bhttp::field;
using http::bhttp::status;

// The ETag names the version and the view, since owners and the public see different bodies.
std::string etag(const Listing& l, View view) {
  return "\"v" + std::to_string(l.version) + (view == View::owner_view ? "o" : "p") + "\"";
}

// If-Match: "v7o", "v7p" or "v7" -> 7. A value that names no version can never match.
std::optional<std::int64_t> if_match_version(const http::Request& req) {
  const std::string_view h = req.raw[field::if_match];
  if (h.empty()) return std::nullopt;
  std::int64_t v = -1;
  if (h.size() > 3 && h.front() == '"' && h[1] == 'v') {
    std::from_chars(h.data() + 2, h.data() + h.size(), v);
  }
  return v;
}

View view_for(const std::optional<Principal>& actor, const Listing& l) {
  return actor && (actor->admin() || actor->user_id == l.owner_id) ? View::owner_view
                                                                   : View::public_view;
}

http::Response listing_response(const http::Request& req, const Listing& l,
                                status code = status::ok) {
  const View view = view_for(req.principal, l);
  http::Response res = http::json_response(to_json(l, view), code);
  res.set(field::etag, etag(l, view));
  res.set(field::cache_control, "private, no-cache");
  return res;
}

// The shape of every "do X to listing {id}" action: `read` checks the body (every action
// refuses members it does not take) and `fn` acts on what it read.
template <class Read, class Fn>
http::Handler action(WorkerPool& workers, Read read, Fn fn) {
  return [&workers, read, fn](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    Problems problems;
    JsonReader in(*body, problems, read.known);
    auto input = read(in);
    if (!problems.empty()) co_return problems.error();
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return fn(actor, id, input); });
    if (!r) co_return r.error();
    co_return listing_response(req, *r);
  };
}

// An action whose body is empty ({} or nothing).
struct NoBody {
  std::span<const std::string_view> known;
  bool operator()(JsonReader&) const { return true; }
};

}  // namespace

http::Handler ListingHandlers::create() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    const Principal actor = req.caller();
    auto r = co_await workers.run([&] { return service.create(actor, *body); });
    if (!r) co_return r.error();
    http::Response res = listing_response(req, *r, status::created);
    res.set(field::location, "/api/v1/listings/" + std::to_string(r->id));
    co_return res;
  };
}

http::Handler ListingHandlers::get() const {
  return
      [&service = service, &workers = workers, &views = views](http::Request& req) -> http::Reply {
        const auto actor = req.principal;
        const std::int64_t id = req.int_param("id");
        auto r = co_await workers.run([&] { return service.get(actor, id); });
        if (!r) co_return r.error();
        // A view is someone other than the lister (or a moderator) reading the live listing.
        if (view_for(actor, *r) == View::public_view) views.record(id);
        const std::string tag = etag(*r, view_for(actor, *r));
        if (req.raw[field::if_none_match] == tag) {
          http::Response res{status::not_modified, 11};
          res.set(field::etag, tag);
          co_return res;
        }
        co_return listing_response(req, *r);
      };
}

http::Handler ListingHandlers::my_views() const {
  return [&views = views, &workers = workers](http::Request& req) -> http::Reply {
    const auto owner = req.principal->user_id;
    auto r = co_await workers.run([&] { return views.views_of_owner(owner); });
    if (!r) co_return r.error();
    boost::json::array items;
    for (const auto& [id, n] : *r) items.push_back({{"listing_id", id}, {"views", n}});
    co_return http::json_response(boost::json::object{{"items", std::move(items)}});
  };
}

http::Handler ListingHandlers::update() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    const auto expected = if_match_version(req);
    auto r = co_await workers.run([&] { return service.update(actor, id, *body, expected); });
    if (!r) co_return r.error();
    http::Response res =
        listing_response(req, r->listing, r->pending_review ? status::accepted : status::ok);
    if (r->pending_review) {
      // 202: the edit is stored and waits for a moderator; the body is what is live now.
      res.set("X-Griha-Edit", "pending-review");
    }
    co_return res;
  };
}

http::Handler ListingHandlers::remove() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.remove(actor, id); });
    if (!r) co_return r.error();
    co_return http::Response{status::no_content, 11};
  };
}

http::Handler ListingHandlers::mine() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    Problems problems(FieldIn::query);
    QueryReader query(req.query_params(), problems);
    const std::int64_t limit = query.integer("limit", 20, 1, 100);
    const std::int64_t before = query.integer("before", 0, 0, INT64_MAX);
    if (!problems.empty()) co_return problems.error();
    const Principal actor = req.caller();
    auto r =
        co_await workers.run([&] { return service.mine(actor, before, static_cast<int>(limit)); });
    if (!r) co_return r.error();
    boost::json::array items;
    for (const auto& l : *r) items.push_back(to_json(l, View::owner_view));
    boost::json::object body{{"listings", std::move(items)}};
    // Cursor: the id to continue before; absent on the last page.
    if (static_cast<std::int64_t>(r->size()) == limit) body["next_before"] = r->back().id;
    co_return http::json_response(body);
  };
}

http::Handler ListingHandlers::history() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.history(actor, id); });
    if (!r) co_return r.error();
    boost::json::array events;
    for (const auto& e : *r)
      events.push_back({{"at", e.at},
                        {"actor_id", e.actor_id},
                        {"from", e.from_status.empty() ? boost::json::value()
                                                       : boost::json::value(e.from_status)},
                        {"to", e.to_status},
                        {"reason", e.reason}});
    co_return http::json_response({{"events", std::move(events)}});
  };
}

http::Handler ListingHandlers::submit() const {
  return action(workers, NoBody{},
                [&s = service](const Principal& a, std::int64_t id, bool) { return s.submit(a, id); });
}

http::Handler ListingHandlers::renew() const {
  return action(workers, NoBody{},
                [&s = service](const Principal& a, std::int64_t id, bool) { return s.renew(a, id); });
}

http::Handler ListingHandlers::withdraw() const {
  return action(workers, NoBody{}, [&s = service](const Principal& a, std::int64_t id, bool) {
    return s.withdraw(a, id);
  });
}

http::Handler ListingHandlers::close() const {
  static constexpr std::string_view k_known[] = {"outcome"};
  static constexpr std::string_view k_outcomes[] = {"sold", "rented"};
  struct Read {
    std::span<const std::string_view> known = k_known;
    std::optional<std::string> operator()(JsonReader& in) const {
      return in.choice("outcome", Need::required, k_outcomes);
    }
  };
  return action(
      workers, Read{},
      [&s = service](const Principal& a, std::int64_t id, const std::optional<std::string>& outcome) {
        return s.close(a, id, *status_from_string(*outcome));
      });
}

http::Handler ListingHandlers::approve() const {
  return action(workers, NoBody{},
                [&s = service](const Principal& a, std::int64_t id, bool) { return s.approve(a, id); });
}

http::Handler ListingHandlers::reject() const {
  static constexpr std::string_view k_known[] = {"reason"};
  struct Read {
    std::span<const std::string_view> known = k_known;
    // The service checks the reason's length (ListingService::reject).
    std::string operator()(JsonReader& in) const { return in.string("reason").value_or(""); }
  };
  return action(workers, Read{},
                [&s = service](const Principal& a, std::int64_t id, const std::string& reason) {
                  return s.reject(a, id, reason);
                });
}

http::Handler ListingHandlers::set_flags() const {
  struct Flags {
    std::optional<bool> featured, verified;
  };
  static constexpr std::string_view k_known[] = {"featured", "verified"};
  struct Read {
    std::span<const std::string_view> known = k_known;
    Flags operator()(JsonReader& in) const {
      return {in.boolean("featured", Need::optional), in.boolean("verified", Need::optional)};
    }
  };
  return action(workers, Read{}, [&s = service](const Principal& a, std::int64_t id, const Flags& f) {
    return s.set_flags(a, id, f.featured, f.verified);
  });
}

http::Handler ListingHandlers::moderation_queue() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto limit = http::int_query_param(req, "limit", 50, 1, 100);
    if (!limit) co_return limit.error();
    const Principal actor = req.caller();
    auto r = co_await workers.run(
        [&] { return service.moderation_queue(actor, static_cast<int>(*limit)); });
    if (!r) co_return r.error();
    boost::json::array items;
    for (const auto& item : *r) {
      boost::json::object o{{"listing", to_json(item.listing, View::owner_view)},
                            {"kind", item.revision ? "edit" : "new"}};
      if (item.revision) {
        o["revision_id"] = item.revision->id;
        o["submitted_at"] = item.revision->created_at;
        o["diff"] = item.diff;
      }
      items.push_back(std::move(o));
    }
    co_return http::json_response({{"items", std::move(items)}});
  };
}

}  // namespace griha::listings
