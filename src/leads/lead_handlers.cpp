#include "leads/lead_handlers.hpp"

#include <boost/json.hpp>

#include "core/validation.hpp"

namespace griha::leads {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::bhttp::field;
using http::bhttp::status;

json::value opt(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object lead_json(const Lead& l) {
  return {{"id", l.id},
          {"listing_id", l.listing_id},
          {"listing_title", l.listing_title},
          {"stage", to_string(l.stage)},
          {"lost_reason", l.lost_reason},
          {"assigned_to", opt(l.assigned_to)},
          {"contact",
           {{"name", l.contact_name},
            {"phone", opt(l.contact_phone)},
            {"email", opt(l.contact_email)}}},
          {"message", l.message},
          {"preferred_contact_time", l.preferred_contact_time},
          {"inquiry_count", l.inquiry_count},
          {"created_at", l.created_at},
          {"updated_at", l.updated_at}};
}

json::object detail_json(const LeadDetail& d) {
  json::object o = lead_json(d.lead);
  json::array notes;
  for (const auto& n : d.notes)
    notes.push_back({{"id", n.id},
                     {"author_id", n.author_id},
                     {"author_name", n.author_name},
                     {"body", n.body},
                     {"created_at", n.created_at}});
  json::array history;
  for (const auto& e : d.history)
    history.push_back({{"at", e.at},
                       {"actor_id", opt(e.actor_id)},
                       {"kind", e.kind},
                       {"from", opt(e.from_stage)},
                       {"to", opt(e.to_stage)},
                       {"detail", e.detail}});
  json::array inquiries;
  for (const auto& i : d.inquiries)
    inquiries.push_back({{"message", i.message},
                         {"preferred_contact_time", i.preferred_contact_time},
                         {"at", i.at}});
  o["notes"] = std::move(notes);
  o["history"] = std::move(history);
  o["inquiries"] = std::move(inquiries);
  return o;
}

json::object inquiry_json(const repo::SeekerInquiry& i) {
  return {{"id", i.id},
          {"listing_id", i.listing_id},
          {"listing_title", i.listing_title},
          {"message", i.message},
          {"preferred_contact_time", i.preferred_contact_time},
          {"status", seeker_status(i.stage)},
          {"inquiry_count", i.inquiry_count},
          {"created_at", i.created_at},
          {"updated_at", i.updated_at}};
}

// listing_id, stage, from, to (and, for lists, limit and before_id) from the query string.
Result<LeadFilter> filter_of(const http::Request& req, bool paged) {
  LeadFilter f;
  Problems problems(FieldIn::query);
  QueryReader query(req.query_params(), problems);
  f.listing_id = query.integer("listing_id", 0, 0, INT64_MAX);
  if (auto stage = query.text("stage")) {
    if (!stage_from_string(*stage))
      query.fail("stage", FieldCode::invalid_value,
                 "must be one of new, contacted, visit_scheduled, visited, negotiating, won or "
                 "lost");
    f.stage = *stage;
  }
  // A date is an Asia/Kolkata day and `to` includes it; a UTC timestamp is an exact bound.
  if (auto from = query.text("from")) {
    auto start = day_start_utc(*from);
    if (!start)
      query.fail("from", FieldCode::invalid_value,
                 "must be a date (2026-11-24) or a UTC timestamp");
    f.from = start.value_or("");
  }
  if (auto to = query.text("to")) {
    auto end = to->size() == 10 ? day_start_utc(*to, 1) : day_start_utc(*to);
    if (!end)
      query.fail("to", FieldCode::invalid_value, "must be a date (2026-11-24) or a UTC timestamp");
    f.to = end.value_or("");
  }
  if (paged) {
    f.limit = static_cast<int>(query.integer("limit", 20, 1, 100));
    f.before_id = query.integer("before_id", 0, 0, INT64_MAX);
  }
  if (!problems.empty()) return problems.error();
  return f;
}

http::Response inquiry_response(const InquiryOutcome& r) {
  json::object out = inquiry_json(r.inquiry);
  out["created"] = r.created;
  return http::json_response(out, r.created ? status::created : status::ok);
}

http::Handler list_leads(LeadService& service, WorkerPool& workers, bool all) {
  return [&service, &workers, all](http::Request& req) -> http::Reply {
    auto filter = filter_of(req, true);
    if (!filter) co_return filter.error();
    const Principal viewer = req.caller();
    auto r = co_await workers.run([&] { return service.leads(viewer, *filter, all); });
    if (!r) co_return r.error();
    json::array items;
    for (const auto& l : r->items) items.push_back(lead_json(l));
    http::Response res = http::json_response(
        {{"items", std::move(items)}, {"next_before_id", opt(r->next_before_id)}});
    res.set(field::cache_control, "private, no-store");
    co_return res;
  };
}

}  // namespace

http::Handler LeadHandlers::inquire() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    InquiryInput in;
    // The honeypot first: a bot's request is refused whatever else it holds.
    if (const auto* w = body->if_contains("website"); w && !w->is_null())
      in.website = w->is_string() ? std::string(w->get_string()) : json::serialize(*w);
    if (!in.website || in.website->empty()) {
      Problems problems;
      JsonReader fields(*body, problems,
                        {"message", "preferred_contact_time", "name", "contact_token", "phone",
                         "email", "website"});
      in.message = fields.string("message");
      in.preferred_contact_time = fields.string("preferred_contact_time");
      in.name = fields.string("name");
      in.contact_token = fields.string("contact_token");
      in.phone = fields.string("phone");
      in.email = fields.string("email");
      if (!problems.empty()) co_return problems.error();
    }
    const std::optional<std::int64_t> user =
        req.principal ? std::optional<std::int64_t>(req.principal->user_id) : std::nullopt;
    const std::int64_t listing_id = req.int_param("id");
    const auto keep = http::keep_answer<InquiryOutcome>(req, inquiry_response);
    auto r = co_await workers.run(
        [&] { return service.inquire(listing_id, user, req.remote_ip, in, keep); });
    if (!r) co_return r.error();
    co_return inquiry_response(*r);
  };
}

http::Handler LeadHandlers::request_contact_code() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    Problems problems;
    JsonReader fields(*body, problems, {"phone", "email"});
    const auto phone = fields.string("phone");
    const auto email = fields.string("email");
    if (!problems.empty()) co_return problems.error();
    auto r = co_await workers.run(
        [&] { return service.request_contact_code(phone, email, req.remote_ip); });
    if (!r) co_return r.error();
    co_return http::json_response({{"status", "code_sent"}}, status::accepted);
  };
}

http::Handler LeadHandlers::verify_contact_code() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    Problems problems;
    JsonReader fields(*body, problems, {"phone", "email", "code"});
    const auto phone = fields.string("phone");
    const auto email = fields.string("email");
    const auto code = fields.text("code", Need::required, {});
    if (!problems.empty()) co_return problems.error();
    auto r = co_await workers.run(
        [&] { return service.verify_contact_code(phone, email, *code, req.remote_ip); });
    if (!r) co_return r.error();
    http::Response res =
        http::json_response({{"contact_token", r->token}, {"expires_at", r->expires_at}});
    res.set(field::cache_control, "no-store");
    co_return res;
  };
}

http::Handler LeadHandlers::my_inquiries() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    Problems problems(FieldIn::query);
    QueryReader query(req.query_params(), problems);
    const std::int64_t limit = query.integer("limit", 20, 1, 100);
    const std::int64_t before = query.integer("before_id", 0, 0, INT64_MAX);
    if (!problems.empty()) co_return problems.error();
    const Principal viewer = req.caller();
    auto r = co_await workers.run(
        [&] { return service.my_inquiries(viewer.user_id, before, static_cast<int>(limit)); });
    if (!r) co_return r.error();
    json::array items;
    for (const auto& i : *r) items.push_back(inquiry_json(i));
    json::value next = nullptr;
    if (static_cast<std::int64_t>(r->size()) == limit && !r->empty()) next = r->back().id;
    http::Response res =
        http::json_response({{"items", std::move(items)}, {"next_before_id", next}});
    res.set(field::cache_control, "private, no-store");
    co_return res;
  };
}

http::Handler LeadHandlers::my_leads() const {
  return list_leads(service, workers, false);
}

http::Handler LeadHandlers::admin_leads() const {
  return list_leads(service, workers, true);
}

http::Handler LeadHandlers::my_lead_stats() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto filter = filter_of(req, false);
    if (!filter) co_return filter.error();
    const Principal viewer = req.caller();
    auto r = co_await workers.run([&] { return service.stats(viewer, *filter); });
    if (!r) co_return r.error();
    json::object stages, by_listing;
    for (const auto& [stage, n] : r->stages) stages[stage] = n;
    for (const auto& [listing, n] : r->by_listing) by_listing[std::to_string(listing)] = n;
    http::Response res = http::json_response({{"stages", std::move(stages)},
                                              {"by_listing", std::move(by_listing)},
                                              {"total", r->total}});
    res.set(field::cache_control, "private, no-store");
    co_return res;
  };
}

http::Handler LeadHandlers::export_leads() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto filter = filter_of(req, false);
    if (!filter) co_return filter.error();
    const Principal viewer = req.caller();
    auto r = co_await workers.run([&] { return service.export_csv(viewer, *filter); });
    if (!r) co_return r.error();
    http::Response res = http::text_response(std::move(*r), "text/csv; charset=utf-8");
    res.set(field::content_disposition, "attachment; filename=\"leads.csv\"");
    res.set(field::cache_control, "private, no-store");
    co_return res;
  };
}

http::Handler LeadHandlers::get() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    const Principal viewer = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.get(viewer, id); });
    if (!r) co_return r.error();
    http::Response res = http::json_response(detail_json(*r));
    res.set(field::cache_control, "private, no-store");
    co_return res;
  };
}

http::Handler LeadHandlers::update() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    const Principal viewer = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.update(viewer, id, *body); });
    if (!r) co_return r.error();
    http::Response res = http::json_response(detail_json(*r));
    res.set(field::cache_control, "private, no-store");
    co_return res;
  };
}

http::Handler LeadHandlers::add_note() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    Problems problems;
    JsonReader fields(*body, problems, {"body"});
    const auto text = fields.string("body");
    if (!problems.empty()) co_return problems.error();
    const Principal viewer = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run(
        [&] { return service.add_note(viewer, id, text.value_or(std::string())); });
    if (!r) co_return r.error();
    co_return http::json_response({{"id", r->id},
                                   {"author_id", r->author_id},
                                   {"author_name", r->author_name},
                                   {"body", r->body},
                                   {"created_at", r->created_at}},
                                  status::created);
  };
}

http::Handler LeadHandlers::agency_agents() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    const Principal viewer = req.caller();
    auto r = co_await workers.run([&] { return service.agency_agents(viewer.user_id); });
    if (!r) co_return r.error();
    json::array agents;
    for (const auto& a : r->agents)
      agents.push_back({{"id", a.id}, {"name", a.name}, {"email", opt(a.email)}});
    json::value agency = nullptr;
    if (r->agency) agency = json::object{{"id", r->agency->id}, {"name", r->agency->name}};
    co_return http::json_response({{"agency", agency}, {"agents", std::move(agents)}});
  };
}

http::Handler LeadHandlers::create_agency() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    Problems problems;
    JsonReader fields(*body, problems, {"name"});
    const auto name = fields.string("name");
    if (!problems.empty()) co_return problems.error();
    auto r =
        co_await workers.run([&] { return service.create_agency(name.value_or(std::string())); });
    if (!r) co_return r.error();
    http::Response res = http::json_response(
        {{"id", r->id}, {"name", r->name}, {"created_at", r->created_at}}, status::created);
    res.set(field::location, "/api/v1/admin/agencies/" + std::to_string(r->id));
    co_return res;
  };
}

http::Handler LeadHandlers::set_user_agency() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    Problems problems;
    JsonReader fields(*body, problems, {"agency_id"});
    // null leaves the agency, so the member must be there.
    if (!fields.has("agency_id"))
      fields.fail("agency_id", FieldCode::required, "is required: an agency id, or null");
    const std::optional<std::int64_t> agency =
        fields.integer("agency_id", Need::optional, 1, INT64_MAX);
    if (!problems.empty()) co_return problems.error();
    const std::int64_t user_id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.set_user_agency(user_id, agency); });
    if (!r) co_return r.error();
    co_return http::json_response({{"user_id", user_id}, {"agency_id", opt(agency)}});
  };
}

http::Handler LeadHandlers::admin_stats() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto r = co_await workers.run([&] { return service.admin_stats(); });
    if (!r) co_return r.error();
    json::array listings;
    for (const auto& c : r->listings_by_city_status)
      listings.push_back({{"city", c.city}, {"status", c.status}, {"count", c.count}});
    json::array per_day;
    for (const auto& d : r->leads_per_day) per_day.push_back({{"day", d.day}, {"count", d.count}});
    http::Response res = http::json_response({{"listings_by_city_status", std::move(listings)},
                                              {"leads_per_day", std::move(per_day)},
                                              {"funnel",
                                               {{"inquiries", r->funnel.inquiries},
                                                {"visits_booked", r->funnel.visits_booked},
                                                {"won", r->funnel.won}}}});
    res.set(field::cache_control, "private, no-store");
    co_return res;
  };
}

}  // namespace griha::leads
