/* keylog.h -- config setup keylog-dir=: the key files Wireshark reads (keylog.c). */
#ifndef KEYLOG_H
#define KEYLOG_H

#include "ikev2.h"

/* Appends the IKE SA's current keys (after IKE_SA_INIT, after each RFC 9370 key
 * update, for a rekeyed IKE SA) to DIR/ikev2_decryption_table; nothing when
 * keylog-dir= is unset. */
void keylog_ike(struct ike_sa *ike);
/* Appends both directions of the Child SA (its KEYMAT, before the install wipes it)
 * to DIR/esp_sa. */
void keylog_child(struct ike_sa *ike, const struct child_sa *child);

/* The lines themselves (pure, for the tests): the length written with its newline,
 * 0 when Wireshark has no name for the algorithms or n < 1024. */
size_t keylog_ike_line(char *out, size_t n, const uint8_t spi_i[8], const uint8_t spi_r[8],
		       const struct ike_keys *k, const struct sk_suite *s);
size_t keylog_esp_line(char *out, size_t n, const struct ip_addr *src, const struct ip_addr *dst,
		       const uint8_t spi[4], uint16_t encr, uint16_t integ, const uint8_t *key,
		       size_t enc_len, size_t integ_len);

#endif
