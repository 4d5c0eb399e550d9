// Number and size wording for storage explanations.
import { bytes, thousands } from '../engine/explain';
import { BLOCK_SIZE } from './types';

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${thousands(n)} ${n === 1 ? one : many}`;
}

export function explainBytes(blocks: number): string {
  return bytes(blocks * BLOCK_SIZE);
}
