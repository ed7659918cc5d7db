#include "listings/media_handlers.hpp"

#include <boost/json.hpp>

#include "core/validation.hpp"
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
      form.files.push_back({"/files" + json_pointer(form.files.size()), part.body});
    } else if (part.name == "kind") {
      const auto kind = media_kind_from_string(part.body);
      if (!kind)
        return Error::field("/kind", FieldCode::invalid_value, "must be photo or floor_plan");
      form.kind = *kind;
    } else {
      return Error::field(json_pointer(part.name), FieldCode::unknown_field,
                          "only image files and the field kind are accepted");
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
  Problems problems;
  JsonReader in(body, problems, {"order", "cover"});
  if (const auto* order = in.get("order")) {
    if (!order->is_array()) {
      in.fail("order", FieldCode::invalid_type, "must be an array of ids");
    } else {
      a.order.emplace();
      const auto& ids = order->as_array();
      for (std::size_t i = 0; i < ids.size(); ++i)
        if (auto id =
                read_integer(ids[i], 1, INT64_MAX, problems, in.at("order") + json_pointer(i)))
          a.order->push_back(*id);
    }
  }
  a.cover = in.integer("cover", Need::optional, 1, INT64_MAX);
  if (!problems.empty()) return problems.error();
  return a;
}

}  // namespace

http::Handler MediaHandlers::upload() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    // Parsing scans up to 11 MiB: worker-pool work like the decoding that follows.
    auto r = co_await workers.run([&]() -> Result<std::vector<Media>> {
      auto form = read_form(req);
      if (!form) return form.error();
      return service.upload(actor, id, form->kind, form->files);
    });
    if (!r) co_return r.error();
    co_return media_list(*r, status::created);
  };
}

http::Handler MediaHandlers::list() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    const auto actor = req.principal;
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run([&] { return service.list(actor, id); });
    if (!r) co_return r.error();
    co_return media_list(*r);
  };
}

http::Handler MediaHandlers::arrange() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    auto arrangement = read_arrangement(*body);
    if (!arrangement) co_return arrangement.error();
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    auto r = co_await workers.run(
        [&] { return service.arrange(actor, id, arrangement->order, arrangement->cover); });
    if (!r) co_return r.error();
    co_return media_list(*r);
  };
}

http::Handler MediaHandlers::remove() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    const Principal actor = req.caller();
    const std::int64_t id = req.int_param("id");
    const std::int64_t photo_id = req.int_param("photo_id");
    auto r = co_await workers.run([&] { return service.remove(actor, id, photo_id); });
    if (!r) co_return r.error();
    co_return http::Response{status::no_content, 11};
  };
}

http::Handler MediaHandlers::serve_file() const {
  return [&service = service, &workers = workers](http::Request& req) -> http::Reply {
    const std::string name = req.param("path")->value;
    auto r = co_await workers.run([&] { return service.file(name); });
    if (!r) co_return r.error();
    if (!*r)
      co_return Error::make(ErrorKind::not_found, "file_not_found", "No file lives at this path.");
    http::Response res = http::text_response(std::move(**r), "image/jpeg");
    // A stored file never changes: a new upload gets a new random name.
    res.set(field::cache_control, "public, max-age=31536000, immutable");
    co_return res;
  };
}

}  // namespace griha::listings
