// Deterministic NHWC input tensors (already normalized to the model's [0, 1] range) for the
// parity test and the benchmark: seeded noise, flat colours and gradients.

export interface FixedInput {
  name: string;
  data: Float32Array;
}

/** mulberry32: tiny seeded PRNG, identical on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function image(
  size: number,
  pixel: (y: number, x: number) => [number, number, number],
): Float32Array {
  const data = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [r, g, b] = pixel(y, x);
      const i = (y * size + x) * 3;
      // Quantize to 8-bit pixel values like a decoded image, then normalize (x / 255).
      data[i] = Math.round(r * 255) / 255;
      data[i + 1] = Math.round(g * 255) / 255;
      data[i + 2] = Math.round(b * 255) / 255;
    }
  }
  return data;
}

export function fixedInputs(size: number, seed: number): FixedInput[] {
  const rand = mulberry32(seed);
  const last = size - 1;
  return [
    { name: `noise(seed=${seed})`, data: image(size, () => [rand(), rand(), rand()]) },
    {
      name: `smooth-noise(seed=${seed + 1})`,
      data: (() => {
        const r2 = mulberry32(seed + 1);
        const base = [r2(), r2(), r2()] as const;
        return image(
          size,
          (y, x) =>
            base.map((c) =>
              Math.min(1, Math.max(0, c + 0.15 * Math.sin((x + y * 1.7) / 9) + 0.1 * (r2() - 0.5))),
            ) as [number, number, number],
        );
      })(),
    },
    { name: 'flat white', data: image(size, () => [1, 1, 1]) },
    { name: 'flat skin tone', data: image(size, () => [0.87, 0.67, 0.55]) },
    { name: 'flat blue', data: image(size, () => [0.1, 0.3, 0.9]) },
    {
      name: 'horizontal grey gradient',
      data: image(size, (_y, x) => [x / last, x / last, x / last]),
    },
    {
      name: 'diagonal colour gradient',
      data: image(size, (y, x) => [x / last, y / last, 1 - (x + y) / (2 * last)]),
    },
  ];
}

/** Concatenates inputs into one [batch, size, size, 3] buffer. */
export function batchOf(inputs: FixedInput[]): Float32Array {
  const per = inputs[0]?.data.length ?? 0;
  const out = new Float32Array(per * inputs.length);
  inputs.forEach((input, i) => out.set(input.data, i * per));
  return out;
}
