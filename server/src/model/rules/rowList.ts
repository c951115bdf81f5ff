/**
 * A list of rows that is emptied and refilled for every record: it keeps its storage, so checking
 * a file of 15,000 records does not allocate 15,000 arrays.
 */
export class RowList {
  private rows: Int32Array = new Int32Array(16);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  push(row: number): void {
    if (this.length === this.rows.length) {
      const bigger = new Int32Array(this.rows.length * 2);
      bigger.set(this.rows);
      this.rows = bigger;
    }
    this.rows[this.length++] = row;
  }

  at(index: number): number {
    return this.rows[index];
  }
}
