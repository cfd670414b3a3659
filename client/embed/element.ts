/**
 * `embed.js`: the `<docbridge-editor>` custom element for portals. It renders an iframe to
 * `/embed/<tenant>/<id>` on the Docbridge server and hands it the token with postMessage (addressed to the
 * Docbridge origin only), never in a URL. It re-dispatches the iframe's events as DOM CustomEvents on the
 * element: `ready`, `saved`, `sync-status`, `error`. Standalone on purpose (type imports only), so it loads
 * as a plain `<script src>` on any page.
 *
 *   <docbridge-editor document="dept-a/budget" token="JWT" toolbar="off" readonly></docbridge-editor>
 */
import type { EmbedConfig, EmbedEventDetail, FrameMessage, HostMessage } from './messages.ts';

const scriptOrigin = (() => {
  const src = (document.currentScript as HTMLScriptElement | null)?.src;
  return src ? new URL(src).origin : location.origin;
})();

const documentName = /^[a-z0-9][a-z0-9-]{0,62}\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

class DocbridgeEditorElement extends HTMLElement {
  static observedAttributes = ['document', 'token', 'toolbar', 'readonly', 'server'];

  #frame: HTMLIFrameElement | null = null;
  #token: string | null = null;
  #initialised = false;
  #generation = 0;
  readonly #root: ShadowRoot;
  readonly #onMessage = (event: MessageEvent) => this.#receive(event);

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'closed' });
  }

  /** The token; setting it (or the attribute) after start sends the new one to the editor. */
  get token(): string | null {
    return this.#token ?? this.getAttribute('token');
  }

  set token(value: string | null) {
    this.#token = value;
    this.#sendToken();
  }

  get #server(): string {
    const attribute = this.getAttribute('server');
    return attribute ? new URL(attribute, location.href).origin : scriptOrigin;
  }

  connectedCallback(): void {
    if (!this.style.display) this.style.display = 'block';
    if (!this.style.minHeight) this.style.minHeight = '20rem';
    window.addEventListener('message', this.#onMessage);
    void this.#render();
  }

  disconnectedCallback(): void {
    window.removeEventListener('message', this.#onMessage);
    this.#generation += 1;
    this.#frame = null;
    this.#root.replaceChildren();
  }

  attributeChangedCallback(name: string, previous: string | null, next: string | null): void {
    if (!this.isConnected || previous === next) return;
    if (name === 'token') this.#sendToken();
    else void this.#render();
  }

  async #render(): Promise<void> {
    const generation = ++this.#generation;
    this.#initialised = false;
    this.#frame = null;
    this.#root.replaceChildren();
    const name = this.getAttribute('document') ?? '';
    if (!documentName.test(name))
      return this.#fail('invalid-document-name', 'The document attribute must be "<tenant>/<id>".');
    let config: EmbedConfig;
    try {
      const response = await fetch(`${this.#server}/embed/config.json`, { credentials: 'omit' });
      config = (await response.json()) as EmbedConfig;
    } catch {
      if (generation === this.#generation)
        this.#fail('server-unreachable', 'The Docbridge server could not be reached.');
      return;
    }
    if (generation !== this.#generation) return;
    // A same-origin request carries no Origin header, so the server cannot vouch for it: the page is ours.
    if (!config.originAllowed && location.origin !== this.#server) {
      return this.#fail(
        'origin-not-allowed',
        `This site (${location.origin}) is not allowed to embed Docbridge documents.`,
      );
    }
    const frame = document.createElement('iframe');
    frame.src = `${this.#server}/embed/${name}`;
    frame.title = `Document editor: ${name}`;
    frame.referrerPolicy = 'no-referrer';
    frame.style.border = '0';
    frame.style.width = '100%';
    frame.style.height = '100%';
    frame.style.minHeight = 'inherit';
    frame.style.display = 'block';
    this.#frame = frame;
    this.#root.append(frame);
  }

  #fail(code: string, message: string): void {
    const note = document.createElement('p');
    note.setAttribute('role', 'alert');
    note.textContent = message;
    this.#root.replaceChildren(note);
    this.#emit('error', { document: this.getAttribute('document') ?? '', code, message });
  }

  #receive(event: MessageEvent): void {
    if (!this.#frame || event.source !== this.#frame.contentWindow || event.origin !== this.#server) return;
    const data = event.data as FrameMessage | null;
    if (data?.source !== 'docbridge') return;
    if (data.type === 'hello') {
      const token = this.token;
      if (!token) {
        this.#emit('error', {
          document: data.document,
          code: 'token-missing',
          message: 'No token was given.',
        });
        return;
      }
      this.#post({
        source: 'docbridge-host',
        type: 'init',
        token,
        toolbar: this.getAttribute('toolbar') !== 'off',
        readonly: this.hasAttribute('readonly'),
      });
      this.#initialised = true;
    } else if (data.type === 'event') {
      this.#emit(data.name, data.detail);
    }
  }

  #sendToken(): void {
    const token = this.token;
    if (this.#initialised && token) this.#post({ source: 'docbridge-host', type: 'token', token });
  }

  #post(message: HostMessage): void {
    this.#frame?.contentWindow?.postMessage(message, this.#server);
  }

  #emit(name: string, detail: EmbedEventDetail): void {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }
}

if (!customElements.get('docbridge-editor'))
  customElements.define('docbridge-editor', DocbridgeEditorElement);
