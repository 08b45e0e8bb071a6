import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ContentForm } from "./ContentForm";
import { entries, type ResumeDoc } from "./history";

afterEach(cleanup);

const doc: ResumeDoc = {
  basics: { name: "Ada" },
  work: [
    { name: "First Co", position: "Engineer" },
    { name: "Second Co", position: "Lead" },
  ],
};

function setup(current: ResumeDoc = doc) {
  const onChange = vi.fn<(next: ResumeDoc, key: string | null) => void>();
  render(<ContentForm doc={current} onChange={onChange} bulletNotes={new Map([["Shipped it", ["Add a number."]]])} />);
  return onChange;
}

describe("ContentForm", () => {
  it("moves an entry with its move button and reports the reordered document", () => {
    const onChange = setup();
    fireEvent.click(screen.getByRole("button", { name: "Move Engineer at First Co down" }));
    const [next, key] = onChange.mock.calls[0] as [ResumeDoc, string | null];
    expect(entries(next, "work").map((e) => e.name)).toEqual(["Second Co", "First Co"]);
    expect(key).toBeNull(); // a move is its own undo step
    expect(screen.getByRole("button", { name: "Move Engineer at First Co up" })).toHaveProperty("disabled", true);
  });

  it("edits a field with a key so typing coalesces, and clears an emptied field", () => {
    const onChange = setup();
    fireEvent.change(screen.getByLabelText("Full name"), { target: { value: "" } });
    const [next, key] = onChange.mock.calls[0] as [ResumeDoc, string | null];
    expect(next.basics).toEqual({});
    expect(key).toBe("basics.name");
  });

  it("adds and removes entries", () => {
    const onChange = setup();
    fireEvent.click(screen.getByRole("button", { name: "Add to skills" }));
    expect(entries(onChange.mock.calls[0]![0], "skills")).toEqual([{}]);
    fireEvent.click(screen.getByRole("button", { name: "Remove Lead at Second Co" }));
    expect(entries(onChange.mock.calls[1]![0], "work").map((e) => e.name)).toEqual(["First Co"]);
  });

  it("shows bullet feedback under the bullet it is about", () => {
    setup({ work: [{ name: "X", position: "Y", highlights: ["Shipped it"] }] });
    expect(screen.getByRole("list", { name: "Bullet feedback" }).textContent).toContain("Add a number.");
  });
});
