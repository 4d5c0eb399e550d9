// The one Disposable base: what an owner registers ends with it, in reverse order, exactly once;
// a late registration on a disposed owner ends at once; a MutableDisposable ends what it replaces.
import * as assert from 'node:assert/strict';
import { Disposable, MutableDisposable, disposeAll, toDisposable } from '../../../src/util/dispose';

class Owner extends Disposable {
  own(name: string, log: string[]): void {
    this._register(toDisposable(() => log.push(name)));
  }
}

describe('Disposable', () => {
  it('disposes what it registered, last first, once', () => {
    const log: string[] = [];
    const owner = new Owner();
    owner.own('a', log);
    owner.own('b', log);
    owner.dispose();
    owner.dispose();
    assert.deepEqual(log, ['b', 'a']);
  });

  it('disposes a registration made after it was disposed at once', () => {
    const log: string[] = [];
    const owner = new Owner();
    owner.dispose();
    owner.own('late', log);
    assert.deepEqual(log, ['late']);
  });

  it('runs every dispose even when one throws, then rethrows the first error', () => {
    const log: string[] = [];
    const list = [toDisposable(() => log.push('first')), toDisposable(() => { throw new Error('boom'); }), toDisposable(() => log.push('last'))];
    assert.throws(() => disposeAll(list), /boom/);
    assert.deepEqual(log, ['last', 'first']);
  });

  it('MutableDisposable disposes the value it replaces, and a value set after it was disposed', () => {
    const log: string[] = [];
    const slot = new MutableDisposable();
    slot.value = toDisposable(() => log.push('one'));
    slot.value = toDisposable(() => log.push('two'));
    assert.deepEqual(log, ['one']);
    slot.dispose();
    assert.deepEqual(log, ['one', 'two']);
    slot.value = toDisposable(() => log.push('three'));
    assert.deepEqual(log, ['one', 'two', 'three']);
    assert.equal(slot.value, undefined);
  });
});
