#include "visits/visit_handlers.hpp"

#include <boost/json.hpp>

#include "core/text.hpp"
#include "http/problem.hpp"
#include "listings/listing_handlers.hpp"

namespace griha::visits {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::bhttp::field;
using http::bhttp::status;

constexpr std::size_t k_max_note = 500, k_max_reason = 500;
constexpr int k_default_slot_days = 7, k_max_slot_days = 30;

http::Response problem(const Error& e, const http::Request& req) {
  // A start that names no bookable slot is well-formed but cannot be processed: 422, as the
  // API documents, rather than the 400 of a malformed request.
  if (e.code == "slot_unavailable")
    return http::problem_response(e, req.path, status::unprocessable_entity);
  return http::problem_response(e, req.path);
}

Error invalid(std::vector<FieldError> fields) {
  Error e = Error::make(ErrorKind::invalid, "validation_failed", "The request has invalid fields.");
  e.fields = std::move(fields);
  return e;
}

// A body's fields, checked together so that one answer names every problem.
class BodyReader {
 public:
  BodyReader(const json::object& body, std::initializer_list<std::string_view> known)
      : body_(body) {
    for (const auto& [key, value] : body) {
      bool ok = false;
      for (auto k : known) ok |= k == key;
      if (!ok) fail(std::string(key), "unknown_field", "is not a field of this request");
    }
  }
  std::optional<std::string> text(std::string_view key, bool required, std::size_t max_len) {
    const auto* v = body_.if_contains(key);
    if (!v || v->is_null()) {
      if (required) fail(std::string(key), "required", "is required");
      return std::nullopt;
    }
    if (!v->is_string()) {
      fail(std::string(key), "invalid_type", "must be a string");
      return std::nullopt;
    }
    std::string s(v->as_string());
    // Whitespace alone is no reason.
    s = std::string(trim(s));
    if (required && s.empty()) {
      fail(std::string(key), "required", "must not be empty");
      return std::nullopt;
    }
    if (s.size() > max_len) {
      fail(std::string(key), "too_long", "at most " + std::to_string(max_len) + " bytes");
      return std::nullopt;
    }
    return s;
  }
  std::optional<std::time_t> instant(std::string_view key) {
    const auto* v = body_.if_contains(key);
    if (!v) {
      fail(std::string(key), "required", "is required");
      return std::nullopt;
    }
    std::optional<std::time_t> t;
    if (v->is_string()) t = parse_instant(v->as_string());
    if (!t)
      fail(std::string(key), "invalid_time",
           "must be a slot's start as ISO-8601 in UTC (2026-11-25T04:30:00Z) or India time "
           "(2026-11-25T10:00:00+05:30)");
    return t;
  }
  void fail(std::string field, std::string code, std::string message) {
    fields_.push_back({std::move(field), std::move(code), std::move(message)});
  }
  std::optional<Error> error() {
    if (fields_.empty()) return std::nullopt;
    return invalid(std::move(fields_));
  }

 private:
  const json::object& body_;
  std::vector<FieldError> fields_;
};

// ?name=YYYY-MM-DD, if present.
Result<std::optional<LocalDate>> date_param(const http::Request& req, std::string_view name) {
  const auto text = req.query_param(name);
  if (!text) return std::optional<LocalDate>();
  const auto d = parse_date(*text);
  if (!d) return Error::field(std::string(name), "invalid_date", "must be a date YYYY-MM-DD");
  return std::optional<LocalDate>(*d);
}

json::object slot_json(const SlotView& s) {
  return {{"start", iso_utc(s.slot.start)},
          {"end", iso_utc(s.slot.end)},
          {"start_local", iso_local(s.slot.start)},
          {"end_local", iso_local(s.slot.end)},
          {"available", s.available}};
}

http::Response visit_response(const VisitRecord& v, Party viewer, status code = status::ok) {
  http::Response res = http::json_response({{"visit", to_json(v, viewer)}}, code);
  res.set(field::cache_control, "no-store");
  return res;
}

http::Response list_response(const std::vector<VisitRecord>& visits, Party viewer) {
  json::array items;
  for (const auto& v : visits) items.push_back(to_json(v, viewer));
  http::Response res =
      http::json_response({{"timezone", k_timezone}, {"visits", std::move(items)}});
  res.set(field::cache_control, "no-store");
  return res;
}

}  // namespace

http::Handler VisitHandlers::get_availability() const {
  return [&service = service,
          &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.availability(actor, id); });
    if (!r) co_return problem(r.error(), req);
    // Hours not set yet is an ordinary state of a listing, not a missing resource: the lister
    // gets the defaults to start from (and no 404 for the browser to log as an error).
    json::object body = to_json(r->value_or(Availability{}));
    body["configured"] = r->has_value();
    co_return http::json_response(std::move(body));
  };
}

http::Handler VisitHandlers::put_availability() const {
  return [&service = service,
          &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    auto body = http::json_object_body(req);
    if (!body) co_return problem(body.error(), req);
    auto parsed = parse_availability(*body);
    if (!parsed) co_return problem(parsed.error(), req);
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.set_availability(actor, id, *parsed); });
    if (!r) co_return problem(r.error(), req);
    co_return http::json_response(to_json(*r));
  };
}

http::Handler VisitHandlers::slots() const {
  return [&service = service,
          &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    auto from = date_param(req, "from");
    if (!from) co_return problem(from.error(), req);
    auto days = http::int_query_param(req, "days", k_default_slot_days, 1, k_max_slot_days);
    if (!days) co_return problem(days.error(), req);
    const std::int64_t id = req.int_param("id");
    auto r =
        co_await workers.run([&] { return service.slots(id, *from, static_cast<int>(*days)); });
    if (!r) co_return problem(r.error(), req);
    json::array items;
    for (const auto& s : *r) items.push_back(slot_json(s));
    http::Response res = http::json_response(
        {{"listing_id", id}, {"timezone", k_timezone}, {"slots", std::move(items)}});
    // Places change with every booking: a shared cache must not keep them.
    res.set(field::cache_control, "no-cache");
    co_return res;
  };
}

http::Handler VisitHandlers::book() const {
  return [&service = service,
          &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    auto body = http::json_object_body(req);
    if (!body) co_return problem(body.error(), req);
    BodyReader in(*body, {"start", "note"});
    const auto start = in.instant("start");
    const auto note = in.text("note", false, k_max_note);
    if (auto e = in.error()) co_return problem(*e, req);
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run(
        [&] { return service.book(actor, id, *start, note.value_or(""), req.remote_ip); });
    if (!r) co_return problem(r.error(), req);
    http::Response res = visit_response(*r, Party::seeker, status::created);
    res.set(field::location, "/api/v1/visits/" + std::to_string(r->id));
    co_return res;
  };
}

http::Handler VisitHandlers::get() const {
  return [&service = service,
          &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.get(actor, id); });
    if (!r) co_return problem(r.error(), req);
    co_return visit_response(r->first, r->second);
  };
}

http::Handler VisitHandlers::reschedule() const {
  return [&service = service,
          &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    auto body = http::json_object_body(req);
    if (!body) co_return problem(body.error(), req);
    BodyReader in(*body, {"start", "reason"});
    const auto start = in.instant("start");
    const auto reason = in.text("reason", true, k_max_reason);
    if (auto e = in.error()) co_return problem(*e, req);
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run(
        [&] { return service.reschedule(actor, id, *start, *reason, req.remote_ip); });
    if (!r) co_return problem(r.error(), req);
    co_return visit_response(r->first, r->second);
  };
}

http::Handler VisitHandlers::cancel() const {
  return [&service = service,
          &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    auto body = http::json_object_body(req);
    if (!body) co_return problem(body.error(), req);
    BodyReader in(*body, {"reason"});
    const auto reason = in.text("reason", true, k_max_reason);
    if (auto e = in.error()) co_return problem(*e, req);
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.cancel(actor, id, *reason); });
    if (!r) co_return problem(r.error(), req);
    co_return visit_response(r->first, r->second);
  };
}

http::Handler VisitHandlers::outcome() const {
  return [&service = service,
          &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    auto body = http::json_object_body(req);
    if (!body) co_return problem(body.error(), req);
    BodyReader in(*body, {"outcome"});
    const auto outcome = in.text("outcome", true, 20);
    if (outcome && *outcome != "visited" && *outcome != "no_show")
      in.fail("outcome", "invalid_value", "must be visited or no_show");
    if (auto e = in.error()) co_return problem(*e, req);
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.record_outcome(actor, id, *outcome); });
    if (!r) co_return problem(r.error(), req);
    co_return visit_response(*r, Party::lister);
  };
}

http::Handler VisitHandlers::mine() const {
  return [&service = service,
          &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    auto from = date_param(req, "from");
    if (!from) co_return problem(from.error(), req);
    auto to = date_param(req, "to");
    if (!to) co_return problem(to.error(), req);
    const Principal actor = req.caller();
    auto r = co_await workers.run([&] { return service.mine(actor, *from, *to); });
    if (!r) co_return problem(r.error(), req);
    co_return list_response(*r, Party::seeker);
  };
}

http::Handler VisitHandlers::hosted() const {
  return [&service = service,
          &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    auto from = date_param(req, "from");
    if (!from) co_return problem(from.error(), req);
    auto to = date_param(req, "to");
    if (!to) co_return problem(to.error(), req);
    auto listing = http::int_query_param(req, "listing_id", 0, 1, INT64_MAX);
    if (!listing) co_return problem(listing.error(), req);
    const std::optional<std::int64_t> listing_id =
        *listing ? std::optional<std::int64_t>(*listing) : std::nullopt;
    const Principal actor = req.caller();
    auto r = co_await workers.run([&] { return service.hosted(actor, *from, *to, listing_id); });
    if (!r) co_return problem(r.error(), req);
    co_return list_response(*r, Party::lister);
  };
}

}  // namespace griha::visits
