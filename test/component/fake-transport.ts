/**
 * A typed stand-in for the cloud, for the states a live backend rarely shows on demand: a call
 * still pending (loading), an empty answer, a refusal, a lost network. Answers are checked
 * against the action table at compile time: `fake.on('home.get', ok(view))` only accepts a
 * HomeView. Everything crosses a JSON round trip, as it would over the wire.
 */
import { ACTIONS, type ActionName, type PayloadOf, type ResultOf } from '../../miniprogram/core/actions';
import { err, ok, type Result } from '../../miniprogram/core/result';
import type { ErrorCode } from '../../miniprogram/core/errors';
import type { Delivery, FailureCode, Transport, UploadRequest } from '../../miniprogram/services/transport';

export type Answer<K extends ActionName> =
  | Result<ResultOf<K>>
  | ((payload: PayloadOf<K>) => Result<ResultOf<K>> | Promise<Result<ResultOf<K>>>);

/** A call the test keeps waiting, to look at the loading state, then answers. */
export interface Held<K extends ActionName> {
  readonly payload: Promise<PayloadOf<K>>;
  resolve(answer: Result<ResultOf<K>>): void;
  /** Answer as if the network had failed or the call had timed out. */
  drop(code: FailureCode): void;
}

type Reply = (payload: unknown) => Promise<Delivery>;

export interface Call {
  action: ActionName;
  payload: unknown;
}

export class FakeCloud implements Transport {
  readonly kind = 'fake';
  readonly calls: Call[] = [];
  /** Calls no answer was set up for: a test that forgets one fails here, not in a confusing UI. */
  readonly unexpected: Call[] = [];
  private readonly standing = new Map<ActionName, Reply>();
  private readonly queued = new Map<ActionName, Reply[]>();
  private uploader: ((req: UploadRequest) => Promise<Delivery>) | null = null;
  private role: 'worker' | 'staff' | 'admin' | null = null;

  /**
   * Calls as this role: staff-only actions answer FORBIDDEN to a worker (and admin-only ones to
   * staff) whatever answer is set up, as the router does before any handler runs.
   */
  as(role: 'worker' | 'staff' | 'admin'): this {
    this.role = role;
    return this;
  }

  /** The answer to every call of `action` (after any `once` answers are used up). */
  on<K extends ActionName>(action: K, answer: Answer<K>): this {
    this.standing.set(action, this.reply(answer));
    return this;
  }

  /** The answer to the next call of `action` only. */
  once<K extends ActionName>(action: K, answer: Answer<K>): this {
    this.enqueue(action, this.reply(answer));
    return this;
  }

  /** The next call of `action` fails with a server error code. */
  refuse<K extends ActionName>(action: K, code: ErrorCode, message?: string, field?: string): this {
    return this.once(action, err(code, message, field));
  }

  /** The next call of `action` never reaches the server. */
  drop(action: ActionName, code: FailureCode = 'NETWORK'): this {
    this.enqueue(action, () => Promise.resolve({ delivered: false, code, detail: `fake ${code}` }));
    return this;
  }

  /** The next call of `action` waits for the test. */
  hold<K extends ActionName>(action: K): Held<K> {
    let release: (d: Delivery) => void = () => undefined;
    let gotPayload: (p: PayloadOf<K>) => void = () => undefined;
    const payload = new Promise<PayloadOf<K>>((r) => (gotPayload = r));
    this.enqueue(action, (p) => {
      gotPayload(p as PayloadOf<K>);
      return new Promise<Delivery>((r) => (release = r));
    });
    return {
      payload,
      resolve: (answer) => release(wire(answer)),
      drop: (code) => release({ delivered: false, code, detail: `fake ${code}` }),
    };
  }

  onUpload(handler: (req: UploadRequest) => Promise<Delivery>): this {
    this.uploader = handler;
    return this;
  }

  callsOf<K extends ActionName>(action: K): PayloadOf<K>[] {
    return this.calls.filter((c) => c.action === action).map((c) => c.payload as PayloadOf<K>);
  }

  call(action: ActionName, payload: object): Promise<Delivery> {
    const sent = JSON.parse(JSON.stringify(payload)) as unknown;
    this.calls.push({ action, payload: sent });
    const rank = { worker: 1, staff: 2, admin: 3 } as const;
    const access = ACTIONS[action].access;
    if (this.role && (access === 'staff' || access === 'admin') && rank[this.role] < rank[access])
      return Promise.resolve(wire(err('FORBIDDEN')));
    const reply = this.queued.get(action)?.shift() ?? this.standing.get(action);
    if (!reply) {
      this.unexpected.push({ action, payload: sent });
      return Promise.resolve(wire(err('INTERNAL', `fake cloud: no answer set up for ${action}`)));
    }
    return reply(sent);
  }

  upload(req: UploadRequest): Promise<Delivery> {
    if (!this.uploader) return Promise.resolve({ delivered: false, code: 'INTERNAL', detail: 'no upload handler' });
    return this.uploader(req);
  }

  private enqueue(action: ActionName, reply: Reply): void {
    const list = this.queued.get(action) ?? [];
    list.push(reply);
    this.queued.set(action, list);
  }

  private reply<K extends ActionName>(answer: Answer<K>): Reply {
    return async (payload) => wire(typeof answer === 'function' ? await answer(payload as PayloadOf<K>) : answer);
  }
}

function wire(result: Result<unknown>): Delivery {
  return { delivered: true, body: JSON.parse(JSON.stringify(result)) as unknown, status: 200 };
}

export { ok, err };
