// A list whose items reorder by drag and drop (pointer or keyboard: space to lift, arrows, space to drop)
// and by explicit move buttons, with the move announced to screen readers.
import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import type { ReactNode } from "react";

interface Props<T> {
  items: T[];
  ids: string[];
  label: (item: T, index: number) => string;
  onMove: (from: number, to: number) => void;
  render: (item: T, index: number, handle: ReactNode) => ReactNode;
  listLabel: string;
}

export function SortableList<T>({ items, ids, label, onMove, render, listLabel }: Props<T>) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    onMove(ids.indexOf(String(active.id)), ids.indexOf(String(over.id)));
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{
        announcements: {
          onDragStart: ({ active }) => `Picked up ${label(items[ids.indexOf(String(active.id))] as T, 0)}.`,
          onDragOver: ({ over }) => (over ? `Over position ${ids.indexOf(String(over.id)) + 1} of ${ids.length}.` : ""),
          onDragEnd: ({ over }) => (over ? `Dropped at position ${ids.indexOf(String(over.id)) + 1}.` : "Dropped."),
          onDragCancel: () => "Move cancelled.",
        },
      }}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        <ol className="flex flex-col gap-2" aria-label={listLabel}>
          {items.map((item, index) => (
            <SortableRow key={ids[index]} id={ids[index] as string} name={label(item, index)} index={index} count={items.length} onMove={onMove}>
              {(handle) => render(item, index, handle)}
            </SortableRow>
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}

function SortableRow({
  id,
  name,
  index,
  count,
  onMove,
  children,
}: {
  id: string;
  name: string;
  index: number;
  count: number;
  onMove: (from: number, to: number) => void;
  children: (handle: ReactNode) => ReactNode;
}) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id });
  const handle = (
    <span className="flex items-center gap-1">
      <button
        type="button"
        className="cursor-grab rounded px-2 py-1 text-slate-800 hover:bg-slate-200"
        aria-label={`Drag ${name} (space to lift, arrows to move)`}
        {...attributes}
        {...listeners}
      >
        ⠿
      </button>
      <button type="button" className="rounded px-2 py-1 hover:bg-slate-200 disabled:opacity-40" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => onMove(index, index - 1)}>
        ↑
      </button>
      <button type="button" className="rounded px-2 py-1 hover:bg-slate-200 disabled:opacity-40" aria-label={`Move ${name} down`} disabled={index === count - 1} onClick={() => onMove(index, index + 1)}>
        ↓
      </button>
    </span>
  );
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      className={isDragging ? "relative z-10 opacity-80" : undefined}
      data-entry-id={id}
    >
      {children(handle)}
    </li>
  );
}
