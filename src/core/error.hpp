// Griha's one error type. It knows nothing about HTTP: a stable machine-readable code, a
// message that is safe to show a client, and detail that only goes to the log.
// http/problem.cpp maps ErrorKind to a status code, in exactly one place.
#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <utility>
#include <vector>

namespace griha {

enum class ErrorKind {
  invalid,              // the request is malformed or fails validation
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

// One problem with one input field: `field` is a JSON pointer-ish path ("price", "photos/3").
struct FieldError {
  std::string field;
  std::string code;
  std::string message;
};

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
  static Error field(std::string field, std::string code, std::string message) {
    Error e = make(ErrorKind::invalid, "validation_failed", "The request has invalid fields.");
    e.fields.push_back({std::move(field), std::move(code), std::move(message)});
    return e;
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
