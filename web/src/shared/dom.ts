/** The element a page's markup guarantees (the DOM contract); a missing one is a build mistake worth failing on. */
export function byTestId<T extends HTMLElement = HTMLElement>(testId: string, root: ParentNode = document): T {
  const element = root.querySelector<T>(`[data-testid="${testId}"]`);
  if (!element) {
    throw new Error(`Missing [data-testid=${testId}] in the page.`);
  }
  return element;
}

export type PageState = 'loading' | 'ready' | 'error';

/** document.body.dataset.state: what end-to-end tests and the styles wait on. */
export function setPageState(state: PageState): void {
  document.body.dataset.state = state;
}
