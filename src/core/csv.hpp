// CSV, one reader and one writer for every module: the listings import reads spreadsheets, lead
// exports and import reports write them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace griha::csv {

struct Limits {
  std::size_t max_records = 5001;  // the header counts
  std::size_t max_fields = 100;
  std::size_t max_field_bytes = 10'000;
};

struct Record {
  std::size_t line = 0;  // the file's line (1-based) where the record starts
  std::vector<std::string> fields;
};

// RFC 4180: fields separated by commas, records by CRLF, LF or a lone CR (old Excel for
// Mac); a quoted field may hold commas, quotes (doubled) and line breaks. A UTF-8 byte order
// mark is skipped; anything else that is not UTF-8 is refused, naming the line. A quote
// inside an unquoted field is kept as a character (5'6" wide), as spreadsheets read it.
// Stops at the first limit exceeded, so a huge file costs no more than the limit.
Result<std::vector<Record>> parse(std::string_view text, const Limits& limits = {});

// One cell as RFC 4180 writes it, quoted only when it must be; a cell that a spreadsheet would
// run as a formula (starting with = + - @, tab or CR) is prefixed with ' (OWASP's CSV
// injection advice), so a message such as =HYPERLINK(…) stays text.
std::string cell(std::string_view value);
// A record: the cells, each through cell(), and CRLF.
std::string row(const std::vector<std::string>& cells);

}  // namespace griha::csv
