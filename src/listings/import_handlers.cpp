#include "listings/import_handlers.hpp"

#include <boost/json.hpp>

#include "http/problem.hpp"

namespace griha::listings {
namespace {

using http::bhttp::field;
using http::bhttp::status;

Result<ImportOptions> options_of(const http::Request& req) {
  ImportOptions o;
  const auto mode = req.query_param("mode").value_or("partial");
  if (mode != "partial" && mode != "all_or_nothing")
    return Error::field("mode", "invalid_value", "must be partial or all_or_nothing");
  o.all_or_nothing = mode == "all_or_nothing";
  const auto submit = req.query_param("submit").value_or("false");
  if (submit != "true" && submit != "false")
    return Error::field("submit", "invalid_value", "must be true or false");
  o.submit = submit == "true";
  return o;
}

}  // namespace

http::Handler import_listings(ListingService& service, WorkerPool& workers) {
  return [&service, &workers](http::Request& req) -> boost::asio::awaitable<http::Response> {
    const std::string_view type = req.raw[field::content_type];
    if (!type.starts_with("text/csv"))
      co_return http::problem_response(
          Error::make(ErrorKind::unsupported, "unsupported_media_type",
                      "Send the file as text/csv (UTF-8, the first row naming the columns)."),
          req.path);
    auto options = options_of(req);
    if (!options) co_return http::problem_response(options.error(), req.path);
    const Principal actor = req.caller();
    // Reading 5 MiB of CSV is CPU work: it runs on the pool with the database writes.
    auto report = co_await workers.run([&]() -> Result<ImportReport> {
      auto rows = read_import_csv(req.raw.body());
      if (!rows) return rows.error();
      return service.import(actor, *rows, *options);
    });
    if (!report) co_return http::problem_response(report.error(), req.path);
    // 422: every row was read, but all_or_nothing met a bad one and stored nothing.
    const status code = report->written ? status::ok : status::unprocessable_entity;
    if (req.raw[field::accept].find("text/csv") != std::string_view::npos)
      co_return http::text_response(errors_csv(*report), "text/csv; charset=utf-8", code);
    co_return http::json_response(to_json(*report), code);
  };
}

}  // namespace griha::listings
