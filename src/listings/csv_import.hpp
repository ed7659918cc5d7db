// Bulk import of listings from a spreadsheet: a small RFC 4180 CSV reader, the rules that turn
// its rows into the same field set the JSON API takes, and the report a lister gets back.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace griha::listings {

namespace csv {

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

// One field as RFC 4180 writes it: quoted only when it must be.
std::string quote(std::string_view field);

}  // namespace csv

// The most data rows one file may hold: larger imports are split by the lister.
inline constexpr std::size_t k_max_import_rows = 5000;

// A spreadsheet row as the JSON API would have received it. `row` is the spreadsheet's row
// number: the header is row 1, so the first listing is row 2, whatever line breaks the
// cells hold.
struct ImportRow {
  std::size_t row = 0;
  std::size_t line = 0;
  boost::json::object fields;
  std::vector<FieldError> problems;  // found while reading the row (a wrong number of cells)
};

// Reads a CSV file whose header names listing fields (listing_fields() JSON names, plus
// `amenities` as a `|`-separated list). A column that is unknown, protected (status,
// owner_id, ...) or repeated refuses the whole file, naming it. Empty cells are left unset;
// whole numbers may carry digit-grouping commas (1,85,00,000); booleans read true/false,
// yes/no or 1/0. A cell that does not convert is passed on as text, so that apply_patch
// reports it exactly as the JSON API would. Blank rows are skipped.
Result<std::vector<ImportRow>> read_import_csv(std::string_view text);

struct ImportOptions {
  bool all_or_nothing = false;  // any failed row: nothing is written
  bool submit = false;          // valid rows go to review, checked as complete listings
};

struct ImportError {
  std::size_t row = 0, line = 0;
  std::string column, code, message;
};

struct ImportReport {
  ImportOptions options;
  std::size_t rows_total = 0, imported = 0, failed = 0;
  bool written = false;  // false: all_or_nothing met a bad row, and nothing was stored
  std::vector<std::pair<std::size_t, std::int64_t>> created;  // row -> listing id
  std::vector<ImportError> errors;
};

boost::json::object to_json(const ImportReport& report);
// The errors as a spreadsheet can open them: row,column,code,message.
std::string errors_csv(const ImportReport& report);

}  // namespace griha::listings
