// A modal dialog on the native <dialog> element: focus moves into it and is kept there, Escape
// closes it, and the page behind is inert, all by the browser itself.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function Modal(props: { title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    dialog.showModal();
    const onCancel = (e: Event) => {
      e.preventDefault();
      props.onClose();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.close();
    };
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="dialog-title" class="modal">
      <h2 id="dialog-title">{props.title}</h2>
      {props.children}
    </dialog>
  );
}
