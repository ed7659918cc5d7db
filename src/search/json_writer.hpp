// Writes search responses straight into a string: numbers in plain notation (coordinates to six
// decimals, money as integers), never Boost.JSON 1.81's shortest-double form (7.66403E1), and
// no intermediate json::value per result card.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace griha::search {

class JsonWriter {
 public:
  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view k);
  JsonWriter& str(std::string_view s);
  JsonWriter& integer(std::int64_t v);
  JsonWriter& boolean(bool v);
  JsonWriter& null();
  // Fixed notation with at most `decimals` decimals, trailing zeros dropped: 19.07, 72.877656.
  JsonWriter& fixed(double v, int decimals);

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  JsonWriter& open(char c);
  JsonWriter& close(char c);
  void comma() {
    if (need_comma_) out_.push_back(',');
    need_comma_ = true;
  }
  std::string out_;
  bool need_comma_ = false;
};

// The decimals coordinates are written with: about 11 cm, finer than any listing's pin.
inline constexpr int k_coordinate_decimals = 6;

}  // namespace griha::search
