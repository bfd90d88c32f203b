/*
 * utf8.h - is a string text a person can be shown?
 *
 * Names travel from scenario files into result files and from result files
 * (possibly crafted) to a terminal. One rule for both directions: strict
 * UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) without
 * control characters (C0, DEL, C1) or invisible and direction-changing
 * ones (zero-width spaces, bidirectional overrides, the byte-order mark), so a
 * name the loader accepts is always one the summary reader accepts, no name
 * can move a terminal's cursor or turn its line around, and two names that
 * print alike are the same name.
 */
#ifndef GR_UTF8_H
#define GR_UTF8_H

/* 1 if s is printable strict UTF-8, else 0. */
int utf8_printable(const char *s);

/* The same for free text (a scenario's description): tabs and line feeds
 * allowed, every other control character (a carriage return, an escape
 * sequence, a bell) refused. */
int utf8_text(const char *s);

#endif
