// Griha's one error type. It knows nothing about HTTP: a stable machine-readable code, a
// message that is safe to show a client, and detail that only goes to the log.
// http/problem.cpp maps ErrorKind to a status code, in exactly one place.
#pragma once

#include <boost/system/result.hpp>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace griha {

enum class ErrorKind {
  invalid,              // the request is malformed or fails validation
  unprocessable,        // well-formed and valid, but cannot be done as asked (422)
  unauthenticated,      // who is asking is unknown
  forbidden,            // known, but not allowed
  not_found,            // no such thing (or not visible to this caller)
  conflict,             // state does not allow it
  precondition_failed,  // If-Match and friends
  too_large,            // size limit
  unsupported,          // media type or similar not accepted
  rate_limited,         // slow down
  unavailable,          // a dependency (database, provider) is down
  internal,             // a bug
};

// The closed list of field error codes: every field problem in every answer is one of these,
// and api/openapi.json lists the same (tests/app/openapi_test.cpp checks it). The message
// says the rest ("must be from 1 to 5", "is not a known city"), for people.
enum class FieldCode {
  required,         // absent, null or blank where a value is needed
  unknown_field,    // the request takes no such member or parameter
  not_writable,     // a real field, but not one this caller may set here
  invalid_type,     // the wrong JSON type (or, in a query string, not a number / boolean)
  invalid_value,    // the right type, but not an allowed value or not in the required form
  too_short,        // text below its minimum length
  too_long,         // text above its maximum length
  out_of_range,     // a number, date or size outside its bounds
  too_few_values,   // a list (or repeated parameter) with too few items
  too_many_values,  // a list with too many items, or a parameter given more than once
  duplicate_value,  // an item that appears twice where each may appear once
  not_found,        // names something that does not exist (a city, a photo, a listing)
  inconsistent,     // valid alone, but contradicts another field or the current state
};
std::string_view to_string(FieldCode code);
std::span<const FieldCode> all_field_codes();

// Where the field lives: `field` is a JSON Pointer (RFC 6901) into the body ("/price",
// "/photos/3", "/windows/2/start"); for a query parameter or a header it is "/" and the
// parameter's name ("/price_max", "/Idempotency-Key") and `in` says which.
enum class FieldIn { body, query, header };
std::string_view to_string(FieldIn in);

// One problem with one input field.
struct FieldError {
  std::string field;  // a JSON Pointer, see FieldIn
  FieldCode code = FieldCode::invalid_value;
  std::string message;
  FieldIn in = FieldIn::body;
};

// "price" -> "/price"; "a/b~c" -> "/a~1b~0c" (RFC 6901 escaping).
std::string json_pointer(std::string_view member);
std::string json_pointer(std::size_t index);

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string code;     // stable, snake_case: "validation_failed", "listing_not_found"
  std::string message;  // for the client
  std::string detail;   // for the log only; never sent
  std::vector<FieldError> fields;
  int retry_after_seconds = 0;  // with rate_limited / unavailable

  static Error make(ErrorKind kind, std::string code, std::string message,
                    std::string detail = {}) {
    return Error{kind, std::move(code), std::move(message), std::move(detail), {}, 0};
  }
  // validation_failed with one field problem; `field` is a JSON Pointer ("/price").
  static Error field(std::string field, FieldCode code, std::string message,
                     FieldIn in = FieldIn::body) {
    Error e = validation_failed();
    e.fields.push_back({std::move(field), code, std::move(message), in});
    return e;
  }
  // The error every validation answers with; fields are added to it.
  static Error validation_failed(std::string message = "The request has invalid fields.") {
    return make(ErrorKind::invalid, "validation_failed", std::move(message));
  }
  static Error internal(std::string detail) {
    return make(ErrorKind::internal, "internal_error", "Something went wrong on our side.",
                std::move(detail));
  }
  static Error unavailable(std::string detail) {
    return make(ErrorKind::unavailable, "service_unavailable",
                "A service Griha depends on is unavailable; try again shortly.", std::move(detail));
  }
};

// Called by Result<T>::value() on an error: an unexpected failure is a bug, so it throws.
class ErrorException : public std::exception {
 public:
  explicit ErrorException(Error e) : error_(std::move(e)) {}
  const char* what() const noexcept override { return error_.code.c_str(); }
  const Error& error() const { return error_; }

 private:
  Error error_;
};

[[noreturn]] inline void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw ErrorException(e);
}

// Expected failures are values.
template <class T>
using Result = boost::system::result<T, Error>;

}  // namespace griha
