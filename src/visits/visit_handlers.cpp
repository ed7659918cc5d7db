#include "visits/visit_handlers.hpp"

#include <boost/json.hpp>

#include "core/validation.hpp"
#include "listings/listing_handlers.hpp"

namespace griha::visits {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::bhttp::field;
using http::bhttp::status;

constexpr std::size_t k_max_note = 500, k_max_reason = 500;
constexpr int k_default_slot_days = 7, k_max_slot_days = 30;

// A slot's start: ISO-8601 in UTC or India time.
std::optional<std::time_t> instant(JsonReader& in, std::string_view key) {
  const auto text = in.text(key, Need::required, {});
  if (!text) return std::nullopt;
  const auto t = parse_instant(*text);
  if (!t)
    in.fail(key, FieldCode::invalid_value,
            "must be a slot's start as ISO-8601 in UTC (2026-11-25T04:30:00Z) or India time "
            "(2026-11-25T10:00:00+05:30)");
  return t;
}

// ?name=YYYY-MM-DD, if present.
std::optional<LocalDate> date_param(QueryReader& query, std::string_view name) {
  const auto text = query.text(name);
  if (!text) return std::nullopt;
  const auto d = parse_date(*text);
  if (!d) query.fail(name, FieldCode::invalid_value, "must be a date YYYY-MM-DD");
  return d;
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

http::Response booked_response(const VisitRecord& v) {
  http::Response res = visit_response(v, Party::seeker, status::created);
  res.set(field::location, "/api/v1/visits/" + std::to_string(v.id));
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
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.availability(actor, id); });
    if (!r) co_return r.error();
    // Hours not set yet is an ordinary state of a listing, not a missing resource: the lister
    // gets the defaults to start from (and no 404 for the browser to log as an error).
    json::object body = to_json(r->value_or(Availability{}));
    body["configured"] = r->has_value();
    co_return http::json_response(std::move(body));
  };
}

http::Handler VisitHandlers::put_availability() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    auto parsed = parse_availability(*body);
    if (!parsed) co_return parsed.error();
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.set_availability(actor, id, *parsed); });
    if (!r) co_return r.error();
    co_return http::json_response(to_json(*r));
  };
}

http::Handler VisitHandlers::slots() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    Problems problems(FieldIn::query);
    QueryReader query(req.query_params(), problems);
    const auto from = date_param(query, "from");
    const auto days = query.integer("days", k_default_slot_days, 1, k_max_slot_days);
    if (!problems.empty()) co_return problems.error();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.slots(id, from, static_cast<int>(days)); });
    if (!r) co_return r.error();
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
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    Problems problems;
    JsonReader in(*body, problems, {"start", "note"});
    const auto start = instant(in, "start");
    const auto note = in.text("note", Need::optional, {0, k_max_note, true});
    if (!problems.empty()) co_return problems.error();
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    const auto keep = http::keep_answer<VisitRecord>(req, booked_response);
    auto r = co_await workers.run(
        [&] { return service.book(actor, id, *start, note.value_or(""), req.remote_ip, keep); });
    if (!r) co_return r.error();
    co_return booked_response(*r);
  };
}

http::Handler VisitHandlers::get() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.get(actor, id); });
    if (!r) co_return r.error();
    co_return visit_response(r->first, r->second);
  };
}

http::Handler VisitHandlers::reschedule() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    Problems problems;
    JsonReader in(*body, problems, {"start", "reason"});
    const auto start = instant(in, "start");
    const auto reason = in.text("reason", Need::required, {1, k_max_reason, true});
    if (!problems.empty()) co_return problems.error();
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run(
        [&] { return service.reschedule(actor, id, *start, *reason, req.remote_ip); });
    if (!r) co_return r.error();
    co_return visit_response(r->first, r->second);
  };
}

http::Handler VisitHandlers::cancel() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    Problems problems;
    JsonReader in(*body, problems, {"reason"});
    const auto reason = in.text("reason", Need::required, {1, k_max_reason, true});
    if (!problems.empty()) co_return problems.error();
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.cancel(actor, id, *reason); });
    if (!r) co_return r.error();
    co_return visit_response(r->first, r->second);
  };
}

http::Handler VisitHandlers::outcome() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    Problems problems;
    JsonReader in(*body, problems, {"outcome"});
    static constexpr std::string_view k_outcomes[] = {"visited", "no_show"};
    const auto outcome = in.choice("outcome", Need::required, k_outcomes);
    if (!problems.empty()) co_return problems.error();
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.record_outcome(actor, id, *outcome); });
    if (!r) co_return r.error();
    co_return visit_response(*r, Party::lister);
  };
}

http::Handler VisitHandlers::mine() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    Problems problems(FieldIn::query);
    QueryReader query(req.query_params(), problems);
    const auto from = date_param(query, "from");
    const auto to = date_param(query, "to");
    if (!problems.empty()) co_return problems.error();
    const Principal actor = req.caller();
    auto r = co_await workers.run([&] { return service.mine(actor, from, to); });
    if (!r) co_return r.error();
    co_return list_response(*r, Party::seeker);
  };
}

http::Handler VisitHandlers::hosted() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    Problems problems(FieldIn::query);
    QueryReader query(req.query_params(), problems);
    const auto from = date_param(query, "from");
    const auto to = date_param(query, "to");
    const auto listing = query.integer("listing_id", 0, 1, INT64_MAX);
    if (!problems.empty()) co_return problems.error();
    const std::optional<std::int64_t> listing_id =
        listing ? std::optional<std::int64_t>(listing) : std::nullopt;
    const Principal actor = req.caller();
    auto r = co_await workers.run([&] { return service.hosted(actor, from, to, listing_id); });
    if (!r) co_return r.error();
    co_return list_response(*r, Party::lister);
  };
}

}  // namespace griha::visits
