// One way to own disposables. A class that subscribes to events, holds timers or owns other
// objects with a `dispose()` extends Disposable and hands each of them to `_register`: they all
// end, in reverse order, when the owner is disposed. Registering on a disposed owner disposes at
// once (a late subscription cannot outlive its owner). Pure: no `vscode` — anything with a
// `dispose()` fits, so vscode.Disposable does, and a worker or a timer can be wrapped with
// `toDisposable`.

export interface IDisposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** Disposes each, in reverse order; the first error is rethrown after all have run. */
export function disposeAll(disposables: IDisposable[]): void {
  let first: unknown;
  let failed = false;
  while (disposables.length > 0) {
    const d = disposables.pop() as IDisposable;
    try {
      d.dispose();
    } catch (e) {
      if (!failed) first = e;
      failed = true;
    }
  }
  if (failed) throw first;
}

export abstract class Disposable implements IDisposable {
  private _isDisposed = false;
  private readonly _disposables: IDisposable[] = [];

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    disposeAll(this._disposables);
  }

  protected get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Owns `value` from now on: it is disposed with this object (at once if this one already is). */
  protected _register<T extends IDisposable>(value: T): T {
    if (this._isDisposed) value.dispose();
    else this._disposables.push(value);
    return value;
  }
}

/** One replaceable disposable (a subscription that lives while something is open, a timer). */
export class MutableDisposable<T extends IDisposable> implements IDisposable {
  private current: T | undefined;
  private disposed = false;

  get value(): T | undefined {
    return this.current;
  }

  set value(next: T | undefined) {
    if (this.current === next) return;
    this.current?.dispose();
    if (this.disposed) {
      next?.dispose();
      this.current = undefined;
      return;
    }
    this.current = next;
  }

  clear(): void {
    this.value = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.current?.dispose();
    this.current = undefined;
  }
}
