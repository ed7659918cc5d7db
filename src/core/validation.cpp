#include "core/validation.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/text.hpp"

namespace griha {

namespace {

constexpr FieldCode k_field_codes[] = {
    FieldCode::required,        FieldCode::unknown_field,   FieldCode::not_writable,
    FieldCode::invalid_type,    FieldCode::invalid_value,   FieldCode::too_short,
    FieldCode::too_long,        FieldCode::out_of_range,    FieldCode::too_few_values,
    FieldCode::too_many_values, FieldCode::duplicate_value, FieldCode::not_found,
    FieldCode::inconsistent,
};

// The number of code points, or nullopt for invalid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80         ? 1
                            : (c >> 5) == 6  ? 2
                            : (c >> 4) == 14 ? 3
                            : (c >> 3) == 30 ? 4
                                             : 0;
    if (len == 0 || i + len > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return std::nullopt;
    i += len;
    ++n;
  }
  return n;
}

bool has_control(std::string_view s, bool multiline) {
  for (unsigned char c : s) {
    if (multiline && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string range_text(std::int64_t min, std::int64_t max) {
  return "must be from " + std::to_string(min) + " to " + std::to_string(max);
}

}  // namespace

std::string_view to_string(FieldCode code) {
  switch (code) {
    case FieldCode::required:
      return "required";
    case FieldCode::unknown_field:
      return "unknown_field";
    case FieldCode::not_writable:
      return "not_writable";
    case FieldCode::invalid_type:
      return "invalid_type";
    case FieldCode::invalid_value:
      return "invalid_value";
    case FieldCode::too_short:
      return "too_short";
    case FieldCode::too_long:
      return "too_long";
    case FieldCode::out_of_range:
      return "out_of_range";
    case FieldCode::too_few_values:
      return "too_few_values";
    case FieldCode::too_many_values:
      return "too_many_values";
    case FieldCode::duplicate_value:
      return "duplicate_value";
    case FieldCode::not_found:
      return "not_found";
    case FieldCode::inconsistent:
      return "inconsistent";
  }
  return "invalid_value";
}

std::span<const FieldCode> all_field_codes() {
  return k_field_codes;
}

std::string_view to_string(FieldIn in) {
  switch (in) {
    case FieldIn::body:
      return "body";
    case FieldIn::query:
      return "query";
    case FieldIn::header:
      return "header";
  }
  return "body";
}

std::string json_pointer(std::string_view member) {
  std::string out = "/";
  for (char c : member) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string json_pointer(std::size_t index) {
  return "/" + std::to_string(index);
}

void Problems::add(std::string_view pointer, FieldCode code, std::string message) {
  fields_.push_back({base_ + std::string(pointer), code, std::move(message), in_});
}

void Problems::add(FieldError f) {
  add(f.field, f.code, std::move(f.message));
}

void Problems::merge(const Error& e) {
  if (e.fields.empty()) {
    fields_.push_back({base_.empty() ? "/" : base_, FieldCode::invalid_value, e.message, in_});
    return;
  }
  for (const auto& f : e.fields) fields_.push_back({base_ + f.field, f.code, f.message, in_});
}

bool Problems::has(std::string_view pointer) const {
  const std::string full = base_ + std::string(pointer);
  return std::any_of(fields_.begin(), fields_.end(),
                     [&](const FieldError& f) { return f.field == full; });
}

Error Problems::error(std::string message) const {
  Error e = Error::validation_failed(std::move(message));
  e.fields = fields_;
  return e;
}

Result<void> Problems::result(std::string message) const {
  if (fields_.empty()) return {};
  return error(std::move(message));
}

std::optional<std::string> read_text(const boost::json::value& v, const TextRule& rule, Problems& p,
                                     std::string_view at) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_string()) {
    p.add(at, FieldCode::invalid_type, "must be a string");
    return std::nullopt;
  }
  return read_text(std::string_view(v.get_string()), rule, p, at);
}

std::optional<std::string> read_text(std::string_view text, const TextRule& rule, Problems& p,
                                     std::string_view at) {
  std::string s(trim(text));
  const auto length = utf8_length(s);
  if (!length || has_control(s, rule.multiline)) {
    p.add(at, FieldCode::invalid_value,
          rule.multiline ? "must be plain text" : "must be plain text on one line");
    return std::nullopt;
  }
  const std::string bounds = rule.min == rule.max ? std::to_string(rule.min) + " characters"
                                                  : std::to_string(rule.min) + " to " +
                                                        std::to_string(rule.max) + " characters";
  if (*length < rule.min) {
    p.add(at, *length == 0 ? FieldCode::required : FieldCode::too_short, "must be " + bounds);
    return std::nullopt;
  }
  if (*length > rule.max) {
    p.add(at, FieldCode::too_long, "must be " + bounds);
    return std::nullopt;
  }
  return s;
}

std::string choices_text(std::span<const std::string_view> choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i) out += i + 1 == choices.size() ? " or " : ", ";
    out += choices[i];
  }
  return out;
}

std::optional<std::string> read_choice(const boost::json::value& v,
                                       std::span<const std::string_view> choices, Problems& p,
                                       std::string_view at) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_string()) {
    p.add(at, FieldCode::invalid_type, "must be a string: " + choices_text(choices));
    return std::nullopt;
  }
  const std::string_view s = v.get_string();
  if (std::find(choices.begin(), choices.end(), s) == choices.end()) {
    p.add(at, FieldCode::invalid_value, "must be one of " + choices_text(choices));
    return std::nullopt;
  }
  return std::string(s);
}

std::optional<std::int64_t> read_integer(const boost::json::value& v, std::int64_t min,
                                         std::int64_t max, Problems& p, std::string_view at) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_int64() && !v.is_uint64()) {
    p.add(at, FieldCode::invalid_type, "must be a whole number");
    return std::nullopt;
  }
  if (v.is_uint64() && v.get_uint64() > static_cast<std::uint64_t>(max)) {
    p.add(at, FieldCode::out_of_range, range_text(min, max));
    return std::nullopt;
  }
  const std::int64_t n = v.is_int64() ? v.get_int64() : static_cast<std::int64_t>(v.get_uint64());
  if (n < min || n > max) {
    p.add(at, FieldCode::out_of_range, range_text(min, max));
    return std::nullopt;
  }
  return n;
}

std::optional<double> read_number(const boost::json::value& v, double min, double max, Problems& p,
                                  std::string_view at, std::string_view where) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_number()) {
    p.add(at, FieldCode::invalid_type, "must be a number");
    return std::nullopt;
  }
  const double d = v.to_number<double>();
  if (!std::isfinite(d) || d < min || d > max) {
    std::string message = "must be from " + std::to_string(static_cast<std::int64_t>(min)) +
                          " to " + std::to_string(static_cast<std::int64_t>(max));
    if (!where.empty()) message += " (" + std::string(where) + ")";
    p.add(at, FieldCode::out_of_range, std::move(message));
    return std::nullopt;
  }
  return d;
}

std::optional<bool> read_boolean(const boost::json::value& v, Problems& p, std::string_view at) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_bool()) {
    p.add(at, FieldCode::invalid_type, "must be true or false");
    return std::nullopt;
  }
  return v.get_bool();
}

JsonReader::JsonReader(const boost::json::object& object, Problems& problems,
                       std::span<const std::string_view> known, std::string base)
    : object_(object), problems_(problems), base_(std::move(base)) {
  for (const auto& [key, value] : object_)
    if (std::find(known.begin(), known.end(), std::string_view(key)) == known.end())
      fail(key, FieldCode::unknown_field, "is not a field of this request");
}

const boost::json::value* JsonReader::get(std::string_view key) const {
  const auto* v = object_.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}

std::string JsonReader::at(std::string_view key) const {
  return base_ + json_pointer(key);
}

void JsonReader::fail(std::string_view key, FieldCode code, std::string message) {
  problems_.add(at(key), code, std::move(message));
}

bool JsonReader::absent(std::string_view key, Need need) {
  if (get(key)) return false;
  if (need == Need::required) fail(key, FieldCode::required, "is required");
  return true;
}

std::optional<std::string> JsonReader::string(std::string_view key) {
  const auto* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    fail(key, FieldCode::invalid_type, "must be a string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<std::string> JsonReader::text(std::string_view key, Need need, const TextRule& rule) {
  if (absent(key, need)) return std::nullopt;
  const auto& v = *get(key);
  // Blank text is no text: absent when optional, `required` when not.
  if (v.is_string() && trim(v.get_string()).empty()) {
    if (need == Need::required) fail(key, FieldCode::required, "must not be blank");
    return std::nullopt;
  }
  return read_text(v, rule, problems_, at(key));
}

std::optional<std::string> JsonReader::choice(std::string_view key, Need need,
                                              std::span<const std::string_view> choices) {
  if (absent(key, need)) return std::nullopt;
  return read_choice(*get(key), choices, problems_, at(key));
}

std::optional<std::int64_t> JsonReader::integer(std::string_view key, Need need, std::int64_t min,
                                                std::int64_t max) {
  if (absent(key, need)) return std::nullopt;
  return read_integer(*get(key), min, max, problems_, at(key));
}

std::optional<bool> JsonReader::boolean(std::string_view key, Need need) {
  if (absent(key, need)) return std::nullopt;
  return read_boolean(*get(key), problems_, at(key));
}

QueryReader::QueryReader(std::vector<std::pair<std::string, std::string>> params,
                         Problems& problems)
    : params_(std::move(params)), problems_(problems) {}

std::optional<std::string> QueryReader::text(std::string_view name) const {
  for (const auto& [key, value] : params_)
    if (key == name) return value;
  return std::nullopt;
}

void QueryReader::fail(std::string_view name, FieldCode code, std::string message) {
  problems_.add(json_pointer(name), code, std::move(message));
}

std::int64_t QueryReader::integer(std::string_view name, std::int64_t fallback, std::int64_t min,
                                  std::int64_t max) {
  const auto s = text(name);
  if (!s) return fallback;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec == std::errc::result_out_of_range) {
    fail(name, FieldCode::out_of_range, range_text(min, max));
    return fallback;
  }
  if (ec != std::errc{} || end != s->data() + s->size()) {
    fail(name, FieldCode::invalid_type, "must be a whole number");
    return fallback;
  }
  if (v < min || v > max) {
    fail(name, FieldCode::out_of_range, range_text(min, max));
    return fallback;
  }
  return v;
}

std::string QueryReader::choice(std::string_view name, std::string_view fallback,
                                std::span<const std::string_view> choices) {
  const auto s = text(name);
  if (!s) return std::string(fallback);
  if (std::find(choices.begin(), choices.end(), *s) == choices.end()) {
    fail(name, FieldCode::invalid_value, "must be one of " + choices_text(choices));
    return std::string(fallback);
  }
  return *s;
}

bool QueryReader::boolean(std::string_view name, bool fallback) {
  const auto s = text(name);
  if (!s) return fallback;
  if (*s == "true") return true;
  if (*s == "false") return false;
  fail(name, FieldCode::invalid_type, "must be true or false");
  return fallback;
}

}  // namespace griha
