/* test_ppk.c -- lib/libike/ppk.c: RFC 8784 3 PPK_IDENTITY Notification Data (the PPK
 * Type octet and the PPK_ID), both ways and malformed, and PPK_IDs as log text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "ike_codec.h"
#include "ike_wire.h"
#include "ppk.h"

static void test_encode(void **state)
{
	uint8_t out[PPK_IDENTITY_MAX];
	/* PPK_ID_FIXED (2), then the ID octets */
	static const uint8_t want[] = { 0x02, 'P', 'P', 'K', '_', 'I', 'D', '_', '1' };
	assert_int_equal(ppk_identity_encode((const uint8_t *)"PPK_ID_1", 8, out, sizeof(out)), sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	/* the longest ID, and one octet more */
	uint8_t id[256];
	memset(id, 0xa5, sizeof(id));
	assert_int_equal(ppk_identity_encode(id, 255, out, sizeof(out)), 256);
	assert_int_equal(out[0], IKE_PPK_ID_FIXED);
	assert_memory_equal(out + 1, id, 255);
	assert_int_equal(ppk_identity_encode(id, 256, out, sizeof(out)), 0);
	/* no ID, no room */
	assert_int_equal(ppk_identity_encode(id, 0, out, sizeof(out)), 0);
	assert_int_equal(ppk_identity_encode(id, 8, out, 8), 0);
}

static void test_decode(void **state)
{
	uint8_t type;
	const uint8_t *id;
	size_t len;
	static const uint8_t fixed[] = { 0x02, 'a', 'b', 'c' };
	assert_int_equal(ppk_identity_decode(fixed, sizeof(fixed), &type, &id, &len), PPK_IDENTITY_OK);
	assert_int_equal(type, IKE_PPK_ID_FIXED);
	assert_int_equal(len, 3);
	assert_memory_equal(id, "abc", 3);
	static const uint8_t opaque[] = { 0x01, 0x00, 0xff };
	assert_int_equal(ppk_identity_decode(opaque, sizeof(opaque), &type, &id, &len), PPK_IDENTITY_OK);
	assert_int_equal(type, IKE_PPK_ID_OPAQUE);
	assert_int_equal(len, 2);
	/* the responder's PPK_IDENTITY: no data */
	assert_int_equal(ppk_identity_decode(fixed, 0, &type, &id, &len), PPK_IDENTITY_EMPTY);
	/* a PPK Type without an ID */
	assert_int_equal(ppk_identity_decode(fixed, 1, &type, &id, &len), PPK_IDENTITY_MALFORMED);
	/* an unknown PPK Type */
	static const uint8_t other[] = { 0x07, 'x' };
	assert_int_equal(ppk_identity_decode(other, sizeof(other), &type, &id, &len), PPK_IDENTITY_UNKNOWN_TYPE);
	assert_int_equal(type, 7);
	assert_null(id);
	/* an ID longer than 255 octets */
	uint8_t big[1 + 256];
	memset(big, 'x', sizeof(big));
	big[0] = IKE_PPK_ID_FIXED;
	assert_int_equal(ppk_identity_decode(big, sizeof(big), &type, &id, &len), PPK_IDENTITY_MALFORMED);
	assert_int_equal(ppk_identity_decode(big, sizeof(big) - 1, &type, &id, &len), PPK_IDENTITY_OK);
	assert_int_equal(len, 255);
}

/* the round trip through a Notify payload as the codec writes and reads it */
static void test_notify_round_trip(void **state)
{
	uint8_t data[PPK_IDENTITY_MAX], storage[512];
	size_t n = ppk_identity_encode((const uint8_t *)"PPK_ID_1", 8, data, sizeof(data));
	struct ike_buf b;
	codec_buf_init(&b, storage, sizeof(storage));
	codec_put_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_PPK_IDENTITY, data, n);
	codec_put_notify(&b, IKE_PROTO_NONE, NULL, 0, IKE_N_PPK_IDENTITY, NULL, 0);
	assert_false(b.overflow);
	/* Notify: generic header, Protocol ID 0, SPI Size 0, type 16436, data */
	static const uint8_t want[] = { 0x29, 0x00, 0x00, 0x11, 0x00, 0x00, 0x40, 0x34, 0x02,
					'P', 'P', 'K', '_', 'I', 'D', '_', '1' };
	assert_memory_equal(storage, want, sizeof(want));
	struct ike_chain c;
	uint8_t bad;
	assert_int_equal(codec_decode_chain(IKE_PL_NOTIFY, storage, b.len, &c, &bad), CODEC_OK);
	struct ike_notify_pl pl;
	unsigned cursor = 0;
	assert_true(codec_next_notify(&c, &cursor, &pl));
	uint8_t type;
	const uint8_t *id;
	size_t len;
	assert_int_equal(pl.type, IKE_N_PPK_IDENTITY);
	assert_int_equal(ppk_identity_decode(pl.data, pl.len, &type, &id, &len), PPK_IDENTITY_OK);
	assert_int_equal(len, 8);
	assert_memory_equal(id, "PPK_ID_1", 8);
	assert_true(codec_next_notify(&c, &cursor, &pl));
	assert_int_equal(ppk_identity_decode(pl.data, pl.len, &type, &id, &len), PPK_IDENTITY_EMPTY);
}

static void test_id_str(void **state)
{
	char t[PPK_ID_STR_MAX];
	assert_string_equal(ppk_id_str((const uint8_t *)"PPK_ID_1", 8, t, sizeof(t)), "\"PPK_ID_1\"");
	static const uint8_t bin[] = { 0x00, 0xab, 'x' };
	assert_string_equal(ppk_id_str(bin, sizeof(bin), t, sizeof(t)), "0x00ab78");
	/* a quote or a backslash would make the text ambiguous */
	assert_string_equal(ppk_id_str((const uint8_t *)"a\"b", 3, t, sizeof(t)), "0x612262");
	uint8_t big[255];
	memset(big, 0xff, sizeof(big));
	assert_int_equal(strlen(ppk_id_str(big, sizeof(big), t, sizeof(t))), 2 + 2 * 255);
	memset(big, 'z', sizeof(big));
	assert_int_equal(strlen(ppk_id_str(big, sizeof(big), t, sizeof(t))), 2 + 255);
	char small[8];
	assert_string_equal(ppk_id_str((const uint8_t *)"PPK_ID_1", 8, small, sizeof(small)), "\"PPK_I\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_notify_round_trip),
		cmocka_unit_test(test_id_str),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
