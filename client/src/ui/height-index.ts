// Row heights of a virtual list in a Fenwick tree: set one height, prefix sum (offset of a
// row) and "which row is at pixel y" all in O(log n), so a list of 100k rows with measured,
// varying heights never walks every row. Appends are amortized O(log n).
export class HeightIndex {
  private tree: Float64Array;
  private heights: Float64Array;
  private n = 0;

  constructor(private readonly estimate: number) {
    this.tree = new Float64Array(1024 + 1);
    this.heights = new Float64Array(1024);
  }

  get length(): number {
    return this.n;
  }

  get total(): number {
    return this.prefix(this.n);
  }

  height(i: number): number {
    return this.heights[i] ?? this.estimate;
  }

  /** Resizes to `count` rows; new rows get `heightOf(i)` or the estimate. */
  resize(count: number, heightOf?: (i: number) => number | undefined): void {
    if (count <= this.n) {
      this.rebuild(count, heightOf);
      return;
    }
    if (count > this.heights.length) {
      // Growing the arrays: existing rows keep their heights.
      const old = this.heights;
      const n = this.n;
      this.rebuild(count, (i) => (i < n ? old[i] : (heightOf?.(i) ?? this.estimate)));
      return;
    }
    for (let i = this.n; i < count; i++) {
      const h = heightOf?.(i) ?? this.estimate;
      this.heights[i] = h;
      this.add(i, h);
    }
    this.n = count;
  }

  /** Starts over (after a reset of the underlying list). */
  rebuild(count: number, heightOf?: (i: number) => number | undefined): void {
    let cap = this.heights.length;
    while (cap < count) cap *= 2;
    const old = this.heights;
    const keep = Math.min(this.n, count);
    this.heights = new Float64Array(cap);
    for (let i = 0; i < count; i++) {
      this.heights[i] =
        heightOf?.(i) ?? (i < keep && !heightOf ? (old[i] ?? this.estimate) : this.estimate);
    }
    // O(n) Fenwick construction over the whole capacity, so rows appended later (which
    // only add their own delta) find every ancestor already holding its children's sums.
    this.tree = new Float64Array(cap + 1);
    for (let i = 1; i <= cap; i++) {
      this.tree[i] = (this.tree[i] ?? 0) + (this.heights[i - 1] ?? 0);
      const parent = i + (i & -i);
      if (parent <= cap) this.tree[parent] = (this.tree[parent] ?? 0) + (this.tree[i] ?? 0);
    }
    this.n = count;
  }

  set(i: number, h: number): number {
    if (i < 0 || i >= this.n) return 0;
    const delta = h - (this.heights[i] ?? 0);
    if (delta === 0) return 0;
    this.heights[i] = h;
    this.add(i, delta);
    return delta;
  }

  /** Sum of heights of rows [0, i): the top offset of row i. */
  prefix(i: number): number {
    let sum = 0;
    for (let k = Math.min(i, this.n); k > 0; k -= k & -k) sum += this.tree[k] ?? 0;
    return sum;
  }

  /** The row that covers pixel offset y (clamped to [0, n-1]; -1 when empty). */
  indexAt(y: number): number {
    if (this.n === 0) return -1;
    let pos = 0;
    let rest = y;
    let step = 1;
    while (step * 2 <= this.heights.length) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.n && (this.tree[next] ?? 0) <= rest) {
        pos = next;
        rest -= this.tree[next] ?? 0;
      }
    }
    return Math.min(pos, this.n - 1);
  }

  private add(i: number, delta: number): void {
    for (let k = i + 1; k < this.tree.length; k += k & -k)
      this.tree[k] = (this.tree[k] ?? 0) + delta;
  }
}
