/** A stored document: a plain object whose `_id` is a string or a number. */
export type Doc = Record<string, unknown>;
export type DocId = string | number;
