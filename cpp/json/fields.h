// Reading one field of a JSON document: the one set of readers that the spec (runner/spec.cpp),
// the datasets (problems/datasets.cpp), the network (problems/mlp.cpp) and the optimizer registry
// (optim/registry.cpp) share. The bottom layer: it knows JSON and nothing of OptLab.
// Every reader throws FieldError whose message starts with the field it names, e.g.
// "problem.data.n: expected a whole number from 1 to 10000, got 0".
#pragma once

#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace optlab::fields {

class FieldError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// A key as an error names it: as is when it is a plain name, else quoted as in JSON, so that an
// empty key or one like ": {" still reads as "FIELD: what is wrong".
std::string key_name(const std::string& key);

// Input text cut to at most 60 characters, so that a huge value cannot flood an error message.
std::string brief(std::string text);
std::string brief(const nlohmann::json& value);

// `where` is the object's own field ("" for the document itself).
void reject_unknown(const nlohmann::json& object, const std::string& where,
                    std::initializer_list<const char*> allowed);
void require_object(const nlohmann::json& value, const std::string& field);
double finite_number(const nlohmann::json& value, const std::string& field);
// A whole number in [lo, hi]; 200.0 counts as whole, 200.5 does not.
long long whole_number(const nlohmann::json& value, const std::string& field, long long lo, long long hi);
// A seed: a whole number up to 2^53 - 1, the largest a JavaScript page can send exactly.
std::uint64_t seed(const nlohmann::json& value, const std::string& field);

}  // namespace optlab::fields
