// NumPy's default random generator, np.random.default_rng(seed), in the page.
//
// nnlib draws its initial weights (glorot_uniform) and its batch order (rng.permutation)
// from this generator, so with the same seed the page and nnlib start from the same weights
// and see the batches in the same order. Three pieces, each as NumPy defines it:
//   SeedSequence  turns the seed into 128 bits of state and 128 bits of increment;
//   PCG64         a 128-bit linear congruential step with an "xor-shift, random rotate" output;
//   Generator     random(), uniform(low, high) and permutation(n) on top of the 64-bit outputs.
// 128-bit arithmetic needs BigInt; only these draws use it, never the training arithmetic.

const MASK32 = 0xffffffffn;
const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;

// SeedSequence's hashing constants (numpy/random/bit_generator.pyx).
const INIT_A = 0x43b0d7e5n, MULT_A = 0x931e8875n, INIT_B = 0x8b51f9ddn, MULT_B = 0x58f38dedn;
const MIX_MULT_L = 0xca01f9ddn, MIX_MULT_R = 0x4973f715n, POOL_SIZE = 4;

/** The seed as 32-bit words, least significant first (NumPy's _coerce_to_uint32_array). */
function seedWords(seed) {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`random seed must be a whole number >= 0, got ${seed}`);
  }
  let value = BigInt(seed);
  const words = [];
  do {
    words.push(value & MASK32);
    value >>= 32n;
  } while (value > 0n);
  return words;
}

/** SeedSequence(seed).generate_state(n64, uint64): n64 words of 64 bits. */
export function seedState(seed, n64) {
  const entropy = seedWords(seed);
  let hashConst = INIT_A;
  const hashmix = (value) => {
    value = (value ^ hashConst) & MASK32;
    hashConst = (hashConst * MULT_A) & MASK32;
    value = (value * hashConst) & MASK32;
    return value ^ (value >> 16n);
  };
  const mix = (x, y) => {
    const result = (MIX_MULT_L * x - MIX_MULT_R * y) & MASK32;
    return result ^ (result >> 16n);
  };
  const pool = [];
  for (let i = 0; i < POOL_SIZE; i++) pool.push(hashmix(i < entropy.length ? entropy[i] : 0n));
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) {
      if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src]));
    }
  }
  for (let src = POOL_SIZE; src < entropy.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst], hashmix(entropy[src]));
  }
  hashConst = INIT_B;
  const words32 = [];
  for (let i = 0; i < 2 * n64; i++) {
    let value = (pool[i % POOL_SIZE] ^ hashConst) & MASK32;
    hashConst = (hashConst * MULT_B) & MASK32;
    value = (value * hashConst) & MASK32;
    words32.push(value ^ (value >> 16n));
  }
  const words64 = [];
  for (let i = 0; i < n64; i++) words64.push(words32[2 * i] | (words32[2 * i + 1] << 32n));
  return words64;
}

const PCG_MULTIPLIER = (2549297995355413924n << 64n) + 4865540595714422341n;

/** The PCG64 bit generator: next64() and next32() as NumPy's pcg64.c computes them. */
export class PCG64 {
  constructor(seed) {
    const [s0, s1, i0, i1] = seedState(seed, 4);
    this.inc = (((i0 << 64n) | i1) << 1n | 1n) & MASK128;
    this.state = 0n;
    this.step();
    this.state = (this.state + ((s0 << 64n) | s1)) & MASK128;
    this.step();
    this.spare32 = null; // next32() hands out the high half of a 64-bit draw on its next call
  }

  step() {
    this.state = (this.state * PCG_MULTIPLIER + this.inc) & MASK128;
  }

  /** XSL-RR output: xor the halves of the state, rotate right by its top 6 bits. */
  next64() {
    this.step();
    const xored = ((this.state >> 64n) ^ this.state) & MASK64;
    const rot = this.state >> 122n;
    return ((xored >> rot) | (xored << ((64n - rot) & 63n))) & MASK64;
  }

  next32() {
    if (this.spare32 !== null) {
      const spare = this.spare32;
      this.spare32 = null;
      return spare;
    }
    const next = this.next64();
    this.spare32 = next >> 32n;
    return next & MASK32;
  }
}

/** np.random.default_rng(seed): the draws nnlib makes. */
export class Generator {
  constructor(seed) {
    this.bitGenerator = new PCG64(seed);
  }

  /** A float in [0, 1): the top 53 bits of a 64-bit draw, times 2^-53. */
  random() {
    return Number(this.bitGenerator.next64() >> 11n) / 9007199254740992;
  }

  /** n floats uniform on [low, high): low + (high - low) * random(). */
  uniform(low, high, n) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = low + (high - low) * this.random();
    return out;
  }

  /** An integer in 0..max: mask to the bits max needs, draw again when above max. */
  interval(max) {
    if (max === 0) return 0;
    let mask = BigInt(max);
    for (const shift of [1n, 2n, 4n, 8n, 16n, 32n]) mask |= mask >> shift;
    const limit = BigInt(max);
    let value;
    do {
      value = (max <= 0xffffffff ? this.bitGenerator.next32() : this.bitGenerator.next64()) & mask;
    } while (value > limit);
    return Number(value);
  }

  /** A shuffled 0..n-1 (Fisher-Yates from the end), as rng.permutation(n). */
  permutation(n) {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.interval(i);
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  }

  /** One draw from the standard normal by Box-Muller. NumPy uses a ziggurat instead, so
   * these are not nnlib.data's draws: the page's own data sets, written out with the data. */
  normal(mean = 0, std = 1) {
    const u = 1 - this.random(); // in (0, 1]: log(u) is finite
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }
}

export function defaultRng(seed) {
  return new Generator(seed);
}
