/*
 * utf8.h - is a string text a person can be shown?
 *
 * Names travel from scenario files into result files and from result files
 * (possibly crafted) to a terminal. One rule for both directions: strict
 * UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) without
 * control characters (C0, DEL, C1), so a name the loader accepts is always
 * one the summary reader accepts, and no name can move a terminal's cursor.
 */
#ifndef GR_UTF8_H
#define GR_UTF8_H

/* 1 if s is printable strict UTF-8, else 0. */
int utf8_printable(const char *s);

#endif
