/**
 * Ids for tuples of 32-bit integers (the two hashes of a linked value, the fields of an event
 * profile), given in order from 0 and found through an open-addressing table of numbers. These
 * lookups run for every value of every event of a folder: a map keyed by a string or a number
 * made of the tuple cost more than the work around them.
 */
export class TupleIds {
  /** The tuple to find or add: fill it, then call `idOf`. */
  readonly key: Int32Array;
  /** Id + 1 per slot; 0 is empty. Kept at most half full, so that probes stay short. */
  private slots = new Int32Array(1024);
  private data: Int32Array;
  private count = 0;

  constructor(readonly width: number) {
    this.key = new Int32Array(width);
    this.data = new Int32Array(256 * width);
  }

  get size(): number {
    return this.count;
  }

  /** The tuples in id order, `width` numbers each (the first `size * width` numbers hold them). */
  get tuples(): Int32Array {
    return this.data;
  }

  /** The id of the tuple in `key`, which becomes the next id when it is new. */
  idOf(): number {
    const slot = this.slotOf(this.key, 0, this.slots);
    if (this.slots[slot] !== 0) return this.slots[slot] - 1;
    const id = this.count++;
    const width = this.width;
    if ((id + 1) * width > this.data.length) {
      const data = new Int32Array(this.data.length * 2);
      data.set(this.data);
      this.data = data;
    }
    this.data.set(this.key, id * width);
    this.slots[slot] = id + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** The slot holding the tuple at `tuple[at...]` in `slots`, or the empty slot where it belongs. */
  private slotOf(tuple: Int32Array, at: number, slots: Int32Array): number {
    const width = this.width;
    const mask = slots.length - 1;
    let hash = 0x9e3779b1 | 0;
    for (let i = 0; i < width; i++) hash = Math.imul(hash ^ tuple[at + i], 0x85ebca6b);
    for (let slot = (hash ^ (hash >>> 15)) & mask; ; slot = (slot + 1) & mask) {
      const held = slots[slot];
      if (held === 0) return slot;
      let same = true;
      for (let i = 0, k = (held - 1) * width; i < width && same; i++, k++) same = this.data[k] === tuple[at + i];
      if (same) return slot;
    }
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    for (let id = 0; id < this.count; id++) slots[this.slotOf(this.data, id * this.width, slots)] = id + 1;
    this.slots = slots;
  }
}
