#include "notify/templates.hpp"

#include <kainjow/mustache.hpp>

#include <boost/json.hpp>
#include <set>

#include "core/resources.hpp"
#include "http/types.hpp"

namespace griha::notify {
namespace {

namespace mu = kainjow::mustache;

mu::data to_data(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      mu::data d{mu::data::type::object};
      for (const auto& [k, item] : v.get_object()) d.set(std::string(k), to_data(item));
      return d;
    }
    case boost::json::kind::array: {
      mu::data d{mu::data::type::list};
      for (const auto& item : v.get_array()) d.push_back(to_data(item));
      return d;
    }
    case boost::json::kind::string:
      return mu::data{std::string(v.get_string())};
    case boost::json::kind::bool_:
      return v.get_bool() ? mu::data{mu::data::type::bool_true}
                          : mu::data{mu::data::type::bool_false};
    case boost::json::kind::int64:
      return mu::data{std::to_string(v.get_int64())};
    case boost::json::kind::uint64:
      return mu::data{std::to_string(v.get_uint64())};
    case boost::json::kind::double_:
      return mu::data{fmt::format("{}", v.get_double())};
    case boost::json::kind::null:
      break;
  }
  return mu::data{mu::data::type::bool_false};
}

// The library's context, remembering every name it could not resolve so that a template
// naming a value the caller did not pass fails instead of rendering a hole.
class StrictContext final : public mu::context<std::string> {
 public:
  explicit StrictContext(const mu::data* root) : mu::context<std::string>(root) {}
  const mu::data* get(const std::string& name) const override {
    const auto* found = mu::context<std::string>::get(name);
    if (!found) missing.insert(name);
    return found;
  }
  // Partials are refused: a value must never be rendered as a template.
  const mu::data* get_partial(const std::string& name) const override {
    missing.insert(">" + name);
    return nullptr;
  }
  mutable std::set<std::string> missing;
};

// A tag whose first non-space character is {, &, > or =: raw output, a partial (which kainjow
// would look up in the data and render as a template) or a delimiter change (which would hide
// the other forms from this check).
bool has_unescaped_tag(std::string_view source) {
  for (auto pos = source.find("{{"); pos != std::string_view::npos;
       pos = source.find("{{", pos + 2)) {
    auto i = pos + 2;
    while (i < source.size() && (source[i] == ' ' || source[i] == '\t')) ++i;
    if (i < source.size() && std::string_view("{&>=").find(source[i]) != std::string_view::npos)
      return true;
  }
  return false;
}

Result<std::string> render_part(std::string_view source, bool html, const mu::data& data) {
  if (html && has_unescaped_tag(source))
    return Error::internal(
        "HTML templates may not use unescaped values, partials or new delimiters "
        "({{{ }}}, {{& }}, {{> }}, {{= =}})");
  mu::mustache tmpl{std::string(source)};
  if (!tmpl.is_valid()) return Error::internal("template: " + tmpl.error_message());
  // The library's default escape is HTML's; plain text and subjects insert values as given.
  if (html)
    tmpl.set_custom_escape([](const std::string& v) { return http::html_escape(v); });
  else
    tmpl.set_custom_escape([](const std::string& s) { return s; });
  StrictContext ctx(&data);
  auto out = tmpl.render(ctx);
  if (!tmpl.is_valid()) return Error::internal("template: " + tmpl.error_message());
  if (!ctx.missing.empty())
    return Error::internal("template names a value not given: " + *ctx.missing.begin());
  return out;
}

}  // namespace

Result<Rendered> render_sources(std::string_view subject, std::string_view text,
                                std::string_view html, const boost::json::object& values) {
  const auto data = to_data(values);
  Rendered r;
  auto s = render_part(subject, false, data);
  if (!s) return s.error();
  r.subject = std::move(*s);
  std::erase_if(r.subject, [](char c) { return c == '\r' || c == '\n'; });
  auto t = render_part(text, false, data);
  if (!t) return t.error();
  r.text = std::move(*t);
  if (!html.empty()) {
    auto h = render_part(html, true, data);
    if (!h) return h.error();
    r.html = std::move(*h);
  }
  return r;
}

Result<Rendered> render(std::string_view name, const boost::json::object& values) {
  const std::string base = "templates/" + std::string(name);
  const auto subject = resources::find(base + ".subject");
  const auto text = resources::find(base + ".txt");
  if (!subject || !text) return Error::internal("no message template " + std::string(name));
  auto r = render_sources(*subject, *text, resources::find(base + ".html").value_or(""), values);
  if (!r) {
    auto e = r.error();
    e.detail = std::string(name) + ": " + e.detail;
    return e;
  }
  return r;
}

}  // namespace griha::notify
