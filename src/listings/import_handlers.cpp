#include "listings/import_handlers.hpp"

#include <boost/json.hpp>

#include "core/validation.hpp"

namespace griha::listings {
namespace {

using http::bhttp::field;
using http::bhttp::status;

Result<ImportOptions> options_of(const http::Request& req) {
  Problems problems(FieldIn::query);
  QueryReader query(req.query_params(), problems);
  static constexpr std::string_view k_modes[] = {"partial", "all_or_nothing"};
  ImportOptions o;
  o.all_or_nothing = query.choice("mode", "partial", k_modes) == "all_or_nothing";
  o.submit = query.boolean("submit", false);
  if (!problems.empty()) return problems.error();
  return o;
}

}  // namespace

http::Handler import_listings(ListingService& service, WorkerPool& workers) {
  return [&service, &workers](http::Request& req) -> http::Reply {
    const std::string_view type = req.raw[field::content_type];
    if (!type.starts_with("text/csv"))
      co_return Error::make(ErrorKind::unsupported, "unsupported_media_type",
                            "Send the file as text/csv (UTF-8, the first row naming the columns).");
    auto options = options_of(req);
    if (!options) co_return options.error();
    const Principal actor = req.caller();
    // Reading 5 MiB of CSV is CPU work: it runs on the pool with the database writes.
    auto report = co_await workers.run([&]() -> Result<ImportReport> {
      auto rows = read_import_csv(req.raw.body());
      if (!rows) return rows.error();
      return service.import(actor, *rows, *options);
    });
    if (!report) co_return report.error();
    // 422: every row was read, but all_or_nothing met a bad one and stored nothing.
    const status code = report->written ? status::ok : status::unprocessable_entity;
    if (req.raw[field::accept].find("text/csv") != std::string_view::npos)
      co_return http::text_response(errors_csv(*report), "text/csv; charset=utf-8", code);
    co_return http::json_response(to_json(*report), code);
  };
}

}  // namespace griha::listings
