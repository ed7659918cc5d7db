// Bulk import of listings from a spreadsheet: the rules that turn a CSV file's rows (read by
// core/csv) into the same field set the JSON API takes, and the report a lister gets back.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "core/error.hpp"

namespace griha::listings {

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
