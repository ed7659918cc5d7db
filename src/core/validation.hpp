// The one way to read and check input. A `Problems` collects every field problem of a request
// (it never stops at the first), each a JSON Pointer with a code from the closed FieldCode list;
// a `JsonReader` reads the members of a JSON object through it, and the read_* functions check
// one value, so that a table of fields (listings::FieldSpec) applies the same rules.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace griha {

class Problems {
 public:
  // `in` and `base` apply to every problem added by pointer: base "/query" makes "/price" into
  // "/query/price".
  explicit Problems(FieldIn in = FieldIn::body, std::string base = {})
      : in_(in), base_(std::move(base)) {}

  // `pointer` is a JSON Pointer relative to the base ("/price", "/windows/2/start").
  void add(std::string_view pointer, FieldCode code, std::string message);
  // A problem made elsewhere (auth::check_password_policy), under this base.
  void add(FieldError f);
  // Every field problem of `e` (a nested reader's, a parser's), under this base. An error with
  // no field problems is added as a problem at the base itself.
  void merge(const Error& e);
  bool empty() const { return fields_.empty(); }
  // True when a problem names exactly this pointer (relative to the base).
  bool has(std::string_view pointer) const;
  const std::vector<FieldError>& fields() const { return fields_; }

  // validation_failed with every problem; only call when !empty().
  Error error(std::string message = "The request has invalid fields.") const;
  // {} when there is no problem, else error(message).
  Result<void> result(std::string message = "The request has invalid fields.") const;

  FieldIn in() const { return in_; }
  const std::string& base() const { return base_; }

 private:
  FieldIn in_;
  std::string base_;
  std::vector<FieldError> fields_;
};

enum class Need { optional, required };

// Text: trimmed (spaces, tabs, line breaks), valid UTF-8, no control characters (a multiline
// text may hold line breaks and tabs), `min`..`max` characters (code points). With
// Need::required, blank text is `required`; with Need::optional it reads as absent.
struct TextRule {
  std::size_t min = 0, max = 10'000;
  bool multiline = false;
};

// Value checks: each reads `v` or records one problem at `at` and returns nullopt. A JSON null
// reads as absent (nullopt, no problem) — callers that need a value check for it.
std::optional<std::string> read_text(const boost::json::value& v, const TextRule& rule, Problems& p,
                                     std::string_view at);
std::optional<std::string> read_text(std::string_view s, const TextRule& rule, Problems& p,
                                     std::string_view at);
std::optional<std::string> read_choice(const boost::json::value& v,
                                       std::span<const std::string_view> choices, Problems& p,
                                       std::string_view at);
std::optional<std::int64_t> read_integer(const boost::json::value& v, std::int64_t min,
                                         std::int64_t max, Problems& p, std::string_view at);
std::optional<double> read_number(const boost::json::value& v, double min, double max, Problems& p,
                                  std::string_view at, std::string_view where = {});
std::optional<bool> read_boolean(const boost::json::value& v, Problems& p, std::string_view at);

// "a, b or c".
std::string choices_text(std::span<const std::string_view> choices);

// Reads the members of one JSON object (a body, or an object inside one at `base`).
class JsonReader {
 public:
  // Members not in `known` are recorded as unknown_field (a misspelt field is never ignored
  // silently, and a client can never set what it was not offered).
  JsonReader(const boost::json::object& object, Problems& problems,
             std::span<const std::string_view> known, std::string base = {});
  JsonReader(const boost::json::object& object, Problems& problems,
             std::initializer_list<std::string_view> known, std::string base = {})
      : JsonReader(object, problems, std::span<const std::string_view>(known.begin(), known.size()),
                   std::move(base)) {}

  // Present, null included (a PATCH's "null clears it").
  bool has(std::string_view key) const { return object_.contains(key); }
  // Present and not null.
  const boost::json::value* get(std::string_view key) const;

  // A string as sent (absent or null: nullopt), for a service that checks the value itself.
  std::optional<std::string> string(std::string_view key);
  std::optional<std::string> text(std::string_view key, Need need, const TextRule& rule);
  std::optional<std::string> choice(std::string_view key, Need need,
                                    std::span<const std::string_view> choices);
  std::optional<std::int64_t> integer(std::string_view key, Need need, std::int64_t min,
                                      std::int64_t max);
  std::optional<bool> boolean(std::string_view key, Need need);

  // A problem with `key` (a member of this object).
  void fail(std::string_view key, FieldCode code, std::string message);
  // The JSON Pointer of `key`, relative to the Problems' base.
  std::string at(std::string_view key) const;
  Problems& problems() { return problems_; }

 private:
  bool absent(std::string_view key, Need need);

  const boost::json::object& object_;
  Problems& problems_;
  std::string base_;
};

// Reads query parameters: problems are at "/name", in the query.
class QueryReader {
 public:
  QueryReader(std::vector<std::pair<std::string, std::string>> params, Problems& problems);
  std::optional<std::string> text(std::string_view name) const;
  // An integer in [min, max], `fallback` when absent.
  std::int64_t integer(std::string_view name, std::int64_t fallback, std::int64_t min,
                       std::int64_t max);
  // One of `choices`, `fallback` when absent.
  std::string choice(std::string_view name, std::string_view fallback,
                     std::span<const std::string_view> choices);
  // true / false, `fallback` when absent.
  bool boolean(std::string_view name, bool fallback);
  void fail(std::string_view name, FieldCode code, std::string message);

 private:
  std::vector<std::pair<std::string, std::string>> params_;
  Problems& problems_;
};

}  // namespace griha
