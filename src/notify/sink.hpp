// The log providers' message sink for tests: each email or SMS the `log` provider "sends" is
// also appended to a file as one JSON line, which integration tests read instead of scraping
// the log. Config email.sink_file / sms.sink_file; empty (the default) writes nothing.
#pragma once

#include <boost/json/object.hpp>
#include <string>

namespace griha::notify {

// Appends `message` and a newline in one write (O_APPEND), so concurrent senders never
// interleave. Does nothing when `file` is empty; a failure is logged, never thrown.
void append_to_sink(const std::string& file, const boost::json::object& message);

}  // namespace griha::notify
