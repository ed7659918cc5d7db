#include "listings/media_handlers.hpp"

#include <boost/json.hpp>

#include "http/problem.hpp"
#include "listings/listing_handlers.hpp"
#include "listings/media_multipart.hpp"

namespace griha::listings {
namespace {

namespace asio = boost::asio;
using http::bhttp::field;
using http::bhttp::status;

http::Response media_list(const std::vector<Media>& items, status code = status::ok) {
  boost::json::array out;
  for (const auto& m : items) out.push_back(to_json(m));
  http::Response res = http::json_response({{"items", std::move(out)}}, code);
  res.set(field::cache_control, "private, no-cache");
  return res;
}

struct UploadForm {
  MediaKind kind = MediaKind::photo;
  std::vector<UploadedFile> files;
};

// The form: file parts (any field name) and an optional `kind` field. The parts' own
// Content-Type and file names are ignored: the image type comes from the bytes.
Result<UploadForm> read_form(const http::Request& req) {
  const auto boundary = form_data_boundary(req.raw[field::content_type]);
  if (!boundary)
    return Error::make(ErrorKind::unsupported, "unsupported_media_type",
                       "Send the files as multipart/form-data.");
  auto parts = parse_form_data(*boundary, req.raw.body());
  if (!parts) return parts.error();
  UploadForm form;
  for (const auto& part : *parts) {
    if (part.filename) {
      // What a browser sends for a file input left empty.
      if (part.filename->empty() && part.body.empty()) continue;
      form.files.push_back({"files/" + std::to_string(form.files.size()), part.body});
    } else if (part.name == "kind") {
      const auto kind = media_kind_from_string(part.body);
      if (!kind) return Error::field("kind", "invalid_choice", "Use photo or floor_plan.");
      form.kind = *kind;
    } else {
      return Error::field(part.name, "unknown_field",
                          "Only image files and the field kind are accepted.");
    }
  }
  return form;
}

// {"order": [ids...], "cover": id}, both optional.
struct Arrangement {
  std::optional<std::vector<std::int64_t>> order;
  std::optional<std::int64_t> cover;
};
Result<Arrangement> read_arrangement(const boost::json::object& body) {
  Arrangement a;
  for (const auto& [key, value] : body) {
    if (key == "order") {
      if (!value.is_array()) return Error::field("order", "invalid_type", "An array of ids.");
      a.order.emplace();
      for (const auto& id : value.as_array()) {
        if (!id.is_int64()) return Error::field("order", "invalid_type", "An array of ids.");
        a.order->push_back(id.as_int64());
      }
    } else if (key == "cover") {
      if (!value.is_int64()) return Error::field("cover", "invalid_type", "A photo id.");
      a.cover = value.as_int64();
    } else {
      return Error::field(std::string(key), "unknown_field", "Only order and cover.");
    }
  }
  return a;
}

}  // namespace

http::Handler MediaHandlers::upload() const {
  return [&service = service,
          &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    // Parsing scans up to 11 MiB: worker-pool work like the decoding that follows.
    auto r = co_await workers.run([&]() -> Result<std::vector<Media>> {
      auto form = read_form(req);
      if (!form) return form.error();
      return service.upload(actor, id, form->kind, form->files);
    });
    if (!r) co_return http::problem_response(r.error(), req.path);
    co_return media_list(*r, status::created);
  };
}

http::Handler MediaHandlers::list() const {
  return [&service = service,
          &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    const auto actor = req.principal;
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.list(actor, id); });
    if (!r) co_return http::problem_response(r.error(), req.path);
    co_return media_list(*r);
  };
}

http::Handler MediaHandlers::arrange() const {
  return [&service = service,
          &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    auto body = http::json_object_body(req);
    if (!body) co_return http::problem_response(body.error(), req.path);
    auto arrangement = read_arrangement(*body);
    if (!arrangement) co_return http::problem_response(arrangement.error(), req.path);
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run(
        [&] { return service.arrange(actor, id, arrangement->order, arrangement->cover); });
    if (!r) co_return http::problem_response(r.error(), req.path);
    co_return media_list(*r);
  };
}

http::Handler MediaHandlers::remove() const {
  return [&service = service,
          &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    const std::int64_t photo_id = req.int_param("photo_id");
    auto r = co_await workers.run([&] { return service.remove(actor, id, photo_id); });
    if (!r) co_return http::problem_response(r.error(), req.path);
    co_return http::Response{status::no_content, 11};
  };
}

http::Handler MediaHandlers::serve_file() const {
  return [&service = service,
          &workers = workers](http::Request& req) -> asio::awaitable<http::Response> {
    const std::string name = req.param("path")->value;
    auto r = co_await workers.run([&] { return service.file(name); });
    if (!r) co_return http::problem_response(r.error(), req.path);
    if (!*r)
      co_return http::problem_response(
          Error::make(ErrorKind::not_found, "file_not_found", "No file lives at this path."),
          req.path);
    http::Response res = http::text_response(std::move(**r), "image/jpeg");
    // A stored file never changes: a new upload gets a new random name.
    res.set(field::cache_control, "public, max-age=31536000, immutable");
    co_return res;
  };
}

}  // namespace griha::listings
