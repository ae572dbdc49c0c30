// Client-side routing over the History API. A page renders into the main element and may
// handle query-only changes of its own path (update) instead of being rebuilt.

export interface Page {
  update?(url: URL): void;
  destroy?(): void;
}
export type PageFactory = (root: HTMLElement, url: URL) => Page;

interface Route {
  pattern: RegExp;
  page: PageFactory;
}

export class Router {
  private routes: Route[] = [];
  private current: Page | null = null;
  private currentPath = "";

  constructor(private readonly root: HTMLElement) {
    window.addEventListener("popstate", () => this.render());
    document.addEventListener("click", (e) => {
      const a = (e.target as Element | null)?.closest?.("a[data-link]");
      if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      const href = a.getAttribute("href");
      if (!href || href.startsWith("http")) return;
      e.preventDefault();
      this.navigate(href);
    });
  }

  add(pattern: RegExp, page: PageFactory): this {
    this.routes.push({ pattern, page });
    return this;
  }

  navigate(href: string, replace = false): void {
    if (replace) history.replaceState(null, "", href);
    else history.pushState(null, "", href);
    this.render();
  }

  render(): void {
    const url = new URL(window.location.href);
    if (url.pathname === this.currentPath && this.current?.update) {
      this.current.update(url);
      return;
    }
    this.current?.destroy?.();
    this.root.replaceChildren();
    this.currentPath = url.pathname;
    const route = this.routes.find((r) => r.pattern.test(url.pathname));
    if (!route) {
      this.navigate("/search", true);
      return;
    }
    this.current = route.page(this.root, url);
  }
}

export let router: Router;
export function setRouter(r: Router): void {
  router = r;
}
