/* SPDX-License-Identifier: MIT */
/*
 * A small streaming JSON writer for trace volume (DESIGN.md section 9):
 * text goes straight to a stdio stream, nothing is built in memory.  Only
 * strings need care: jsonw_str() quotes and escapes them so that any byte
 * string comes out as valid JSON text in UTF-8 (RFC 8259 section 7):
 *   - '"' and '\\' are escaped, control characters U+0000..U+001F become
 *     \b \f \n \r \t or \u00XX;
 *   - well-formed UTF-8 sequences pass through unchanged;
 *   - every byte that does not start a well-formed sequence (a stray
 *     continuation byte, a truncated sequence, an overlong form, a
 *     surrogate, a code point above U+10FFFF) becomes U+FFFD, written as
 *     \ufffd, one per bad byte.
 * Write errors are sticky in the stream (ferror()); jsonw_error() reports
 * them after the fact.
 */
#ifndef IOMMUSIM_TRACE_JSONW_H
#define IOMMUSIM_TRACE_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/**
 * jsonw_str() - write @s (NUL-terminated) as a quoted, escaped JSON string.
 * Context: any.
 */
void jsonw_str(FILE *f, const char *s);

/**
 * jsonw_strn() - jsonw_str() for the first @n bytes of @s (which may hold
 * NUL bytes: they are written as \u0000).
 */
void jsonw_strn(FILE *f, const char *s, size_t n);

/**
 * jsonw_utf8_len() - length of the well-formed UTF-8 sequence at @s (at
 * most @n bytes available): 1..4, or 0 when @s does not start one.
 * Pure.
 */
size_t jsonw_utf8_len(const unsigned char *s, size_t n);

#endif
