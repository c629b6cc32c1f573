#include "json/fields.h"

#include <cctype>
#include <cmath>

namespace optlab::fields {

using nlohmann::json;

std::string key_name(const std::string& key) {
  bool plain = !key.empty();
  for (const char c : key) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  return plain ? key : json(key).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string brief(std::string text) {
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string brief(const json& value) { return brief(value.dump(-1, ' ', false, json::error_handler_t::replace)); }

void reject_unknown(const json& object, const std::string& where, std::initializer_list<const char*> allowed) {
  for (const auto& item : object.items()) {
    bool known = false;
    for (const char* a : allowed) known = known || item.key() == a;
    if (known) continue;
    std::string list;
    for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    const std::string field = where.empty() ? key_name(item.key()) : where + "." + key_name(item.key());
    throw FieldError(field + ": unknown field (expected one of " + list + ")");
  }
}

void require_object(const json& value, const std::string& field) {
  if (!value.is_object())
    throw FieldError(field + ": expected an object {...}, got " + std::string(value.type_name()));
}

double finite_number(const json& value, const std::string& field) {
  if (!value.is_number()) throw FieldError(field + ": expected a number, got " + std::string(value.type_name()));
  const double d = value.get<double>();
  if (!std::isfinite(d)) throw FieldError(field + ": must be a finite number");
  return d;
}

long long whole_number(const json& value, const std::string& field, long long lo, long long hi) {
  const std::string rule = field + ": expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (!value.is_number()) throw FieldError(rule + ", got " + std::string(value.type_name()));
  const double d = value.get<double>();
  if (!(d >= static_cast<double>(lo) && d <= static_cast<double>(hi)) || std::floor(d) != d)
    throw FieldError(rule + ", got " + value.dump());
  return value.is_number_integer() ? value.get<long long>() : static_cast<long long>(d);
}

std::uint64_t seed(const json& value, const std::string& field) {
  return static_cast<std::uint64_t>(whole_number(value, field, 0, 9007199254740991LL));
}

}  // namespace optlab::fields
