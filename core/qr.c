/*
 * qr.c - QR Code encoder, byte mode, level M, versions 1-10.  See qr.h.
 *
 * The steps are those of the standard: choose the smallest version that
 * holds the data; make the bit stream (mode, count, bytes, terminator,
 * padding); split it into blocks and add Reed-Solomon error correction
 * over GF(256) (polynomial 0x11d); interleave; draw the function patterns;
 * lay the codewords in the two-column zigzag; try the eight masks and keep
 * the one with the lowest penalty; write the format (and version) bits.
 */
#include <string.h>

#include "core/qr.h"

/* Level M block structure per version (ISO/IEC 18004 table 9). */
static const struct {
	int	 total;		/* codewords */
	int	 ec;		/* error-correction codewords per block */
	int	 b1, d1;	/* blocks of group 1 and their data codewords */
	int	 b2, d2;	/* group 2 */
} blocks[QR_MAX_VERSION + 1] = {
	{ 0, 0, 0, 0, 0, 0 },
	{ 26, 10, 1, 16, 0, 0 },
	{ 44, 16, 1, 28, 0, 0 },
	{ 70, 26, 1, 44, 0, 0 },
	{ 100, 18, 2, 32, 0, 0 },
	{ 134, 24, 2, 43, 0, 0 },
	{ 172, 16, 4, 27, 0, 0 },
	{ 196, 18, 4, 31, 0, 0 },
	{ 242, 22, 2, 38, 2, 39 },
	{ 292, 22, 3, 36, 2, 37 },
	{ 346, 26, 4, 43, 1, 44 },
};

/* Centres of the alignment patterns per version (annex E). */
static const unsigned char align[QR_MAX_VERSION + 1][4] = {
	{ 0 }, { 0 }, { 6, 18 }, { 6, 22 }, { 6, 26 }, { 6, 30 }, { 6, 34 },
	{ 6, 22, 38 }, { 6, 24, 42 }, { 6, 26, 46 }, { 6, 28, 50 },
};

static unsigned char	 gexp[512], glog[256];

static void
gf_init(void)
{
	int	 i, x = 1;

	if (gexp[0] == 1)
		return;
	for (i = 0; i < 255; i++) {
		gexp[i] = (unsigned char)x;
		glog[x] = (unsigned char)i;
		x <<= 1;
		if (x & 0x100)
			x ^= 0x11d;
	}
	for (i = 255; i < 512; i++)
		gexp[i] = gexp[i - 255];
}

static unsigned char
gf_mul(unsigned char a, unsigned char b)
{
	return a == 0 || b == 0 ? 0 : gexp[glog[a] + glog[b]];
}

/* ec codewords of data[0..n) into out[0..ec). */
static void
rs_encode(const unsigned char *data, int n, int ec, unsigned char *out)
{
	unsigned char	 gen[32], f;
	int		 i, j;

	/* Generator: the product of (x - a^i) for i < ec, highest first
	 * coefficient implied. */
	memset(gen, 0, sizeof(gen));
	gen[ec - 1] = 1;
	for (i = 0; i < ec; i++) {
		for (j = 0; j < ec; j++) {
			gen[j] = gf_mul(gen[j], gexp[i]);
			if (j + 1 < ec)
				gen[j] ^= gen[j + 1];
		}
	}
	memset(out, 0, (size_t)ec);
	for (i = 0; i < n; i++) {
		f = data[i] ^ out[0];
		memmove(out, out + 1, (size_t)ec - 1);
		out[ec - 1] = 0;
		for (j = 0; j < ec; j++)
			out[j] ^= gf_mul(gen[j], f);
	}
}

struct draw {
	int		 size;
	unsigned char	 m[QR_MAX_SIZE][QR_MAX_SIZE];
	unsigned char	 fn[QR_MAX_SIZE][QR_MAX_SIZE];	/* function module */
};

static void
put(struct draw *d, int r, int c, int dark)
{
	d->m[r][c] = (unsigned char)(dark != 0);
	d->fn[r][c] = 1;
}

static void
finder(struct draw *d, int r0, int c0)
{
	int	 r, c, dist, rr, cc;

	for (r = -4; r <= 4; r++)
		for (c = -4; c <= 4; c++) {
			rr = r0 + r;
			cc = c0 + c;
			if (rr < 0 || cc < 0 || rr >= d->size || cc >= d->size)
				continue;
			dist = r < 0 ? -r : r;
			dist = (c < 0 ? -c : c) > dist ? (c < 0 ? -c : c) : dist;
			put(d, rr, cc, dist != 2 && dist != 4);
		}
}

static void
format_bits(struct draw *d, int mask)
{
	int	 data = (0 << 3) | mask;	/* level M is 00 */
	int	 rem = data, bits, i, n = d->size;

	for (i = 0; i < 10; i++)
		rem = (rem << 1) ^ ((rem >> 9) * 0x537);
	bits = ((data << 10) | rem) ^ 0x5412;
	/* Around the top-left finder ... */
	for (i = 0; i <= 5; i++)
		put(d, i, 8, (bits >> i) & 1);
	put(d, 7, 8, (bits >> 6) & 1);
	put(d, 8, 8, (bits >> 7) & 1);
	put(d, 8, 7, (bits >> 8) & 1);
	for (i = 9; i < 15; i++)
		put(d, 8, 14 - i, (bits >> i) & 1);
	/* ... and split between the other two. */
	for (i = 0; i < 8; i++)
		put(d, 8, n - 1 - i, (bits >> i) & 1);
	for (i = 8; i < 15; i++)
		put(d, n - 15 + i, 8, (bits >> i) & 1);
	put(d, n - 8, 8, 1);			/* the dark module */
}

static void
function_patterns(struct draw *d, int version)
{
	int	 i, j, n = d->size, na, rem, bits, r, c;

	for (i = 0; i < n; i++) {		/* timing patterns */
		put(d, 6, i, i % 2 == 0);
		put(d, i, 6, i % 2 == 0);
	}
	finder(d, 3, 3);
	finder(d, 3, n - 4);
	finder(d, n - 4, 3);
	for (na = 0; na < 4 && align[version][na] != 0; na++)
		;
	for (i = 0; i < na; i++)
		for (j = 0; j < na; j++) {
			if ((i == 0 && j == 0) || (i == 0 && j == na - 1) ||
			    (i == na - 1 && j == 0))
				continue;	/* under a finder */
			for (r = -2; r <= 2; r++)
				for (c = -2; c <= 2; c++)
					put(d, align[version][i] + r,
					    align[version][j] + c,
					    r == -2 || r == 2 || c == -2 ||
					    c == 2 || (r == 0 && c == 0));
		}
	format_bits(d, 0);		/* reserve; rewritten at the end */
	if (version >= 7) {
		rem = version;
		for (i = 0; i < 12; i++)
			rem = (rem << 1) ^ ((rem >> 11) * 0x1f25);
		bits = (version << 12) | rem;
		for (i = 0; i < 18; i++) {
			put(d, n - 11 + i % 3, i / 3, (bits >> i) & 1);
			put(d, i / 3, n - 11 + i % 3, (bits >> i) & 1);
		}
	}
}

static int
mask_bit(int mask, int r, int c)
{
	switch (mask) {
	case 0: return (r + c) % 2 == 0;
	case 1: return r % 2 == 0;
	case 2: return c % 3 == 0;
	case 3: return (r + c) % 3 == 0;
	case 4: return (r / 2 + c / 3) % 2 == 0;
	case 5: return r * c % 2 + r * c % 3 == 0;
	case 6: return (r * c % 2 + r * c % 3) % 2 == 0;
	default: return ((r + c) % 2 + r * c % 3) % 2 == 0;
	}
}

/* The standard's penalty: runs, 2x2 blocks, finder-like, imbalance. */
static long
penalty(const struct draw *d)
{
	static const unsigned char pat[11] = { 1, 0, 1, 1, 1, 0, 1, 0, 0, 0,
	    0 };
	long	 p = 0, dark = 0;
	int	 n = d->size, r, c, k, run, dir, okf, okb, v;

	for (dir = 0; dir < 2; dir++)
		for (r = 0; r < n; r++) {
			run = 1;
			for (c = 1; c <= n; c++) {
				v = c < n ? (dir ? d->m[c][r] : d->m[r][c]) : 2;
				if (c < n && v == (dir ? d->m[c - 1][r] :
				    d->m[r][c - 1])) {
					run++;
					continue;
				}
				if (run >= 5)
					p += 3 + run - 5;
				run = 1;
			}
			for (c = 0; c + 11 <= n; c++) {
				okf = okb = 1;
				for (k = 0; k < 11; k++) {
					v = dir ? d->m[c + k][r] : d->m[r][c + k];
					if (v != pat[k])
						okf = 0;
					if (v != pat[10 - k])
						okb = 0;
				}
				p += 40 * (okf + okb);
			}
		}
	for (r = 0; r + 1 < n; r++)
		for (c = 0; c + 1 < n; c++)
			if (d->m[r][c] == d->m[r][c + 1] &&
			    d->m[r][c] == d->m[r + 1][c] &&
			    d->m[r][c] == d->m[r + 1][c + 1])
				p += 3;
	for (r = 0; r < n; r++)
		for (c = 0; c < n; c++)
			dark += d->m[r][c];
	k = (int)((dark * 20 - (long)n * n * 10) / ((long)n * n));
	p += 10 * (k < 0 ? -k : k);
	return p;
}

enum sb_err
qr_encode(const void *data, size_t n, struct qr *q)
{
	const unsigned char	*in = data;
	unsigned char		 cw[400], out[400], ecw[32];
	struct draw		 d, best;
	int			 v, nd, bits, i, j, k, blk, nb, ec, off, maxd;
	int			 r, c, col, vert, up, idx, mask;
	long			 pen, bestpen = -1;

	gf_init();
	for (v = 1; v <= QR_MAX_VERSION; v++) {
		nd = blocks[v].b1 * blocks[v].d1 + blocks[v].b2 * blocks[v].d2;
		if (4 + (v < 10 ? 8 : 16) + 8 * (long)n <= 8L * nd)
			break;
	}
	if (v > QR_MAX_VERSION)
		return SB_ELIMIT;
	/* The bit stream. */
	memset(cw, 0, sizeof(cw));
	bits = 0;
#define PUSH(val, len) do {						\
	for (k = (len) - 1; k >= 0; k--, bits++)			\
		if (((val) >> k) & 1)					\
			cw[bits / 8] |= (unsigned char)(0x80 >> (bits % 8)); \
} while (0)
	PUSH(4, 4);				/* byte mode */
	PUSH((int)n, v < 10 ? 8 : 16);
	for (i = 0; i < (int)n; i++)
		PUSH(in[i], 8);
	for (k = 0; k < 4 && bits < 8 * nd; k++)	/* terminator */
		bits++;
	bits = (bits + 7) / 8 * 8;
	for (i = bits / 8; i < nd; i++)
		cw[i] = (i - bits / 8) % 2 ? 0x11 : 0xec;
#undef PUSH
	/* Blocks, error correction, interleaving. */
	ec = blocks[v].ec;
	nb = blocks[v].b1 + blocks[v].b2;
	maxd = blocks[v].b2 ? blocks[v].d2 : blocks[v].d1;
	idx = 0;
	for (i = 0; i < maxd; i++)
		for (blk = 0, off = 0; blk < nb; blk++) {
			int len = blk < blocks[v].b1 ? blocks[v].d1 :
			    blocks[v].d2;

			if (i < len)
				out[idx++] = cw[off + i];
			off += len;
		}
	for (blk = 0, off = 0; blk < nb; blk++) {
		int len = blk < blocks[v].b1 ? blocks[v].d1 : blocks[v].d2;

		rs_encode(cw + off, len, ec, ecw);
		for (i = 0; i < ec; i++)
			out[nd + i * nb + blk] = ecw[i];
		off += len;
	}
	/* Function patterns, then the data in the zigzag. */
	memset(&d, 0, sizeof(d));
	d.size = 17 + 4 * v;
	function_patterns(&d, v);
	idx = 0;
	for (col = d.size - 1; col >= 1; col -= 2) {
		if (col == 6)
			col = 5;	/* skip the vertical timing pattern */
		up = ((col + 1) & 2) == 0;
		for (vert = 0; vert < d.size; vert++)
			for (j = 0; j < 2; j++) {
				c = col - j;
				r = up ? d.size - 1 - vert : vert;
				if (d.fn[r][c])
					continue;
				/* Remainder bits past the last codeword
				 * stay light. */
				if (idx < 8 * blocks[v].total)
					d.m[r][c] = (out[idx / 8] >> (7 -
					    idx % 8)) & 1;
				idx++;
			}
	}
	best = d;
	for (mask = 0; mask < 8; mask++) {
		struct draw t = d;

		for (r = 0; r < t.size; r++)
			for (c = 0; c < t.size; c++)
				if (!t.fn[r][c] && mask_bit(mask, r, c))
					t.m[r][c] ^= 1;
		format_bits(&t, mask);
		pen = penalty(&t);
		if (bestpen < 0 || pen < bestpen) {
			bestpen = pen;
			best = t;
			q->mask = mask;
		}
	}
	q->version = v;
	q->size = best.size;
	memcpy(q->m, best.m, sizeof(q->m));
	return SB_OK;
}
