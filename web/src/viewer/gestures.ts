/** What the viewport does in answer to the user's fingers, mouse and keys. */
export interface GestureHandlers {
  /** Moves by whole slices (positive: towards the end of the stack). */
  step(delta: number): void;
  /** Multiplies the zoom. */
  zoom(factor: number): void;
  /** Moves the image by a canvas-pixel offset, from the point `from` (canvas coordinates). */
  pan(from: readonly [number, number], to: readonly [number, number]): void;
  /** Changes the window by mouse drag offsets (x: width, y: center). */
  windowLevel(dx: number, dy: number): void;
  reset(): void;
  /** Slices in the stack, so a swipe across the screen covers a useful part of any stack. */
  sliceCount(): number;
}

interface TrackedPointer {
  x: number;
  y: number;
  readonly startX: number;
  readonly startY: number;
  readonly startTime: number;
  readonly type: string;
}

const tapMaxMove = 10;
const tapMaxMs = 300;
const doubleTapMs = 350;
const doubleTapMaxDistance = 40;

/**
 * One finger swipes through slices (vertical or horizontal, the larger movement wins; down or right goes forward),
 * two fingers pinch-zoom and pan, a double tap resets. With a mouse: wheel for slices, left drag for window/level,
 * double click resets. Arrow, Page and Home/End keys move through slices.
 */
export function attachGestures(element: HTMLElement, handlers: GestureHandlers): void {
  const pointers = new Map<number, TrackedPointer>();
  let swipeRemainder = 0;
  let lastTap: { time: number; x: number; y: number } | null = null;
  let pinch: { distance: number; mid: [number, number] } | null = null;

  const local = (event: PointerEvent): [number, number] => {
    const rect = element.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };

  const pinchState = (): { distance: number; mid: [number, number] } | null => {
    const [a, b] = [...pointers.values()];
    if (!a || !b) {
      return null;
    }
    return { distance: Math.hypot(a.x - b.x, a.y - b.y), mid: [(a.x + b.x) / 2, (a.y + b.y) / 2] };
  };

  /** CSS pixels of finger travel per slice: short stacks need deliberate moves, 300 slices must fit in a few swipes. */
  const swipeStep = (): number => {
    const span = Math.max(element.clientHeight, 200);
    return Math.min(24, Math.max(3, (span * 1.5) / Math.max(handlers.sliceCount(), 1)));
  };

  element.addEventListener('pointerdown', (event) => {
    element.setPointerCapture(event.pointerId);
    const [x, y] = local(event);
    pointers.set(event.pointerId, { x, y, startX: x, startY: y, startTime: performance.now(), type: event.pointerType });
    swipeRemainder = 0;
    pinch = pointers.size === 2 ? pinchState() : null;
    event.preventDefault();
  });

  element.addEventListener('pointermove', (event) => {
    const pointer = pointers.get(event.pointerId);
    if (!pointer) {
      return;
    }
    const [x, y] = local(event);
    const dx = x - pointer.x;
    const dy = y - pointer.y;
    pointer.x = x;
    pointer.y = y;
    if (pointers.size >= 2) {
      const next = pinchState();
      if (pinch && next && pinch.distance > 0) {
        handlers.zoom(next.distance / pinch.distance);
        handlers.pan(pinch.mid, next.mid);
      }
      pinch = next;
      return;
    }
    if (pointer.type === 'mouse') {
      if (event.buttons & 1) {
        handlers.windowLevel(dx, dy);
      }
      return;
    }
    swipeRemainder += Math.abs(dy) >= Math.abs(dx) ? dy : dx;
    const step = swipeStep();
    const slices = Math.trunc(swipeRemainder / step);
    if (slices !== 0) {
      swipeRemainder -= slices * step;
      handlers.step(slices);
    }
  });

  const release = (event: PointerEvent): void => {
    const pointer = pointers.get(event.pointerId);
    pointers.delete(event.pointerId);
    pinch = pointers.size === 2 ? pinchState() : null;
    if (!pointer || pointer.type === 'mouse' || event.type === 'pointercancel') {
      return;
    }
    const now = performance.now();
    const isTap = now - pointer.startTime < tapMaxMs && Math.hypot(pointer.x - pointer.startX, pointer.y - pointer.startY) < tapMaxMove;
    if (!isTap || pointers.size > 0) {
      lastTap = null;
      return;
    }
    if (lastTap && now - lastTap.time < doubleTapMs && Math.hypot(pointer.x - lastTap.x, pointer.y - lastTap.y) < doubleTapMaxDistance) {
      lastTap = null;
      handlers.reset();
    } else {
      lastTap = { time: now, x: pointer.x, y: pointer.y };
    }
  };
  element.addEventListener('pointerup', release);
  element.addEventListener('pointercancel', release);

  element.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      if (event.ctrlKey) {
        // Trackpad pinch arrives as ctrl+wheel.
        handlers.zoom(Math.exp(-event.deltaY / 200));
      } else if (event.deltaY !== 0) {
        handlers.step(Math.sign(event.deltaY));
      }
    },
    { passive: false },
  );
  element.addEventListener('dblclick', () => handlers.reset());
  element.addEventListener('contextmenu', (event) => event.preventDefault());

  window.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    const count = handlers.sliceCount();
    const moves: Readonly<Record<string, number>> = {
      ArrowDown: 1,
      ArrowRight: 1,
      ArrowUp: -1,
      ArrowLeft: -1,
      PageDown: 10,
      PageUp: -10,
      Home: -count,
      End: count,
    };
    const delta = moves[event.key];
    if (delta !== undefined) {
      event.preventDefault();
      handlers.step(delta);
    }
  });
}
