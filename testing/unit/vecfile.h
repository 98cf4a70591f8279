/* vecfile.h -- reader for the known-answer vector files (../shared/vectors/<name>.txt).
 *
 * Format (vectors/README.md, "Vector file format"): each line is "# comment", blank, or
 * "name = hex" (lowercase hex in wire order; "name = " with nothing after it is a
 * zero-length value).  Names are unique within a file.
 *
 *   struct vecfile *vf = vecfile_load(VECTORS_DIR "/strongswan-3rounds-psk.txt");
 *   struct chunk ni;
 *   if (vecfile_hex(vf, "ni", &ni)) { ...; chunk_free(&ni); }
 *   vecfile_hexf(vf, &m, "ike_intermediate%u.request.frag%u.ike_message", 2, 1);
 *   vecfile_free(vf);
 */
#ifndef VECFILE_H
#define VECFILE_H

#include <stdbool.h>
#include <stddef.h>
#include "chunk.h"
#include "sk_record.h"

struct vecfile;

/* Reads and indexes the whole file.  NULL (with one line on stderr) when the file
 * cannot be read or a line is neither a comment nor "name = value". */
struct vecfile *vecfile_load(const char *path);
void vecfile_free(struct vecfile *vf);	/* NULL is fine */

/* Number of entries and the name of the i-th, in file order (for iterating). */
size_t vecfile_count(const struct vecfile *vf);
const char *vecfile_name(const struct vecfile *vf, size_t i);

bool vecfile_has(const struct vecfile *vf, const char *key);
/* The value text as written (hex digits; "" for an empty value); NULL if absent. */
const char *vecfile_str(const struct vecfile *vf, const char *key);
/* Decodes the value into a fresh chunk (chunk_free() it; a zero-length value gives
 * len 0).  false, with *out = CHUNK_EMPTY, if absent or not valid hex. */
bool vecfile_hex(const struct vecfile *vf, const char *key, struct chunk *out);
/* The same with a printf-formatted key. */
bool vecfile_hexf(const struct vecfile *vf, struct chunk *out, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Decodes a hex string (either case) into a fresh chunk; false on odd length or a
 * non-hex digit. */
bool vecfile_unhex(const char *hex, struct chunk *out);
/* The same for the n characters at hex (no NUL needed). */
bool vecfile_unhexn(const char *hex, size_t n, struct chunk *out);


/* One encrypted IKE message of a vector file turned into the record that sk.c makes
 * (sk_record.h), for transcript and replay tests.  prefix names the message, e.g.
 * "ike_intermediate.request" or "ike_intermediate2.response":
 *  - unfragmented: <prefix>.ike_message and <prefix>.aead.plaintext;
 *  - fragmented (RFC 7383): <prefix>.frag1.ike_message .. fragN, the plaintext being
 *    frag1.aead.plaintext | ... | fragN.aead.plaintext, checked against
 *    <prefix>.inner_plaintext when the file has it.
 * hdr is the (first) message's IKE header as on the wire; unenc is whatever lies between
 * the header and the SK/SKF payload; inner_np is the SK/SKF header's Next Payload. */
struct vecfile_msg {
	struct chunk wire;	/* the message, or fragment 1, without the non-ESP marker */
	struct chunk plain;	/* the inner payloads, reassembled */
	unsigned fragments;	/* 0 when the message went unfragmented */
	struct sk_record rec;	/* points into wire and plain */
};
bool vecfile_sk_record(const struct vecfile *vf, const char *prefix, struct vecfile_msg *m);
void vecfile_msg_free(struct vecfile_msg *m);

#endif
