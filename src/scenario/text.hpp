#pragma once
// User text as data: whether it is valid UTF-8, and a printable rendering of any bytes, for
// error messages, labels and the scripts other programs read. Control characters and bytes
// that are not UTF-8 never reach a terminal, a file name or a generated script as themselves.
#include <string>
#include <string_view>
#include <vector>

namespace ipcsim {

/// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool valid_utf8(std::string_view text);

/// Whether `text` holds a control character (C0, DEL or C1).
bool has_control_character(std::string_view text);

/// `text` with each control character and each byte that is not part of valid UTF-8 written
/// as \xNN: always valid UTF-8, on one line.
std::string printable(std::string_view text);

/// printable(text) between single quotes, each ' doubled: a literal in which nothing else is
/// special, for gnuplot and YAML alike, that no line break can end early.
std::string single_quoted(std::string_view text);

/// `text` as a JSON string literal: quotes, backslashes and control characters escaped, and
/// text that is not UTF-8 first made printable(), so that the JSON is always valid.
std::string json_string(std::string_view text);

/// User text as XML or HTML character data or attribute value: printable(), with the five
/// characters that markup reads (& < > " ') written as entities.
std::string markup_text(std::string_view text);

/// Rows of cells as aligned lines for a terminal: each column as wide as its widest cell
/// (counted in characters: µ is one), two spaces apart, the first `left_aligned` columns
/// left-aligned and the others right-aligned, each line after `indent`, no trailing spaces.
std::string aligned_columns(const std::vector<std::vector<std::string>>& rows, std::size_t left_aligned,
                            std::string_view indent = "");

}  // namespace ipcsim
