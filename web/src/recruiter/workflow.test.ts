import { describe, expect, it } from "vitest";
import { addTags, compactTags, moveItem, parseOverride, sameStages, scoreView, stageIdFor, stagesProblem, tagFilter } from "./workflow";

const PIPELINE = [
  { id: "applied", name: "Applied" },
  { id: "screening", name: "Screening" },
  { id: "interview", name: "Interview" },
  { id: "hired", name: "Hired" },
  { id: "rejected", name: "Rejected" },
];

describe("pipeline stages", () => {
  it("makes an id from the name that the API accepts and no other stage has", () => {
    expect(stageIdFor("Tech interview", ["applied"])).toBe("tech_interview");
    expect(stageIdFor("Interview", ["interview"])).toBe("interview_2");
    expect(stageIdFor("Interview", ["interview", "interview_2"])).toBe("interview_3");
    expect(stageIdFor("2nd round", [])).toBe("stage_2nd_round");
    expect(stageIdFor("Café chat", [])).toBe("cafe_chat");
    expect(stageIdFor("!!!", [])).toBe("stage");
    expect(stageIdFor("x".repeat(80), [])).toMatch(/^[a-z][a-z0-9_]{0,39}$/);
  });

  it("moves one stage and keeps the rest in order", () => {
    const ids = (stages: typeof PIPELINE) => stages.map((stage) => stage.id);
    expect(ids(moveItem(PIPELINE, 2, 1))).toEqual(["applied", "interview", "screening", "hired", "rejected"]);
    expect(ids(moveItem(PIPELINE, 0, 4))).toEqual(["screening", "interview", "hired", "rejected", "applied"]);
    expect(ids(moveItem(PIPELINE, 0, -1))).toEqual(ids(PIPELINE)); // past the top: unchanged
    expect(ids(moveItem(PIPELINE, 4, 5))).toEqual(ids(PIPELINE));
  });

  it("says what is wrong before the API is asked", () => {
    expect(stagesProblem(PIPELINE)).toBeNull();
    expect(stagesProblem(PIPELINE.map((s) => (s.id === "screening" ? { ...s, name: "  " } : s)))).toBe("Stage 2 needs a name.");
    expect(stagesProblem(PIPELINE.map((s) => (s.id === "interview" ? { ...s, name: "screening " } : s)))).toBe(
      'Two stages are called "screening".',
    );
    expect(stagesProblem(PIPELINE.filter((s) => s.id !== "hired"))).toBe("Every pipeline keeps hired.");
    expect(stagesProblem([{ id: "applied", name: "Applied" }])).toBe("A pipeline needs at least two stages.");
  });

  it("sees a rename or a reorder as a change, and surrounding spaces as none", () => {
    expect(sameStages(PIPELINE, PIPELINE.map((s) => ({ ...s, name: ` ${s.name} ` })))).toBe(true);
    expect(sameStages(PIPELINE, moveItem(PIPELINE, 1, 2))).toBe(false);
    expect(sameStages(PIPELINE, PIPELINE.map((s) => (s.id === "screening" ? { ...s, name: "Phone screen" } : s)))).toBe(false);
  });
});

describe("tags", () => {
  it("adds several at once, trimmed, without repeats, sorted as the API returns them", () => {
    expect(addTags(["remote"], " senior ,  remote, on  call ")).toEqual({ tags: ["on call", "remote", "senior"], refused: null });
    expect(addTags([], "C++, Node.js, C#")).toEqual({ tags: ["C#", "C++", "Node.js"], refused: null });
  });

  it("refuses what the API would, and keeps the tags it had", () => {
    const refused = addTags(["remote"], "ok, -dash, x".concat("y".repeat(40)));
    expect(refused.tags).toEqual(["remote"]);
    expect(refused.refused).toContain("-dash");
    expect(refused.refused).not.toContain(" ok");
    const many = Array.from({ length: 20 }, (_, i) => `t${i}`);
    expect(addTags(many, "one more").refused).toBe("An application has at most 20 tags.");
  });

  it("turns a typed filter into the repeated tag parameter", () => {
    expect(tagFilter("")).toBeUndefined();
    expect(tagFilter(" , ")).toBeUndefined();
    expect(tagFilter("remote, senior,remote")).toEqual(["remote", "senior"]);
  });
});

describe("score override", () => {
  it("reads a whole number from 0 to 100", () => {
    expect(parseOverride(" 85 ")).toEqual({ value: 85 });
    expect(parseOverride("0")).toEqual({ value: 0 });
    expect(parseOverride("100")).toEqual({ value: 100 });
    for (const typed of ["", "101", "-1", "8.5", "high"]) expect(parseOverride(typed)).toHaveProperty("problem");
  });

  it("shows the override over the score and says both", () => {
    expect(scoreView({ score: 72, override_score: 90 })).toEqual({
      shown: 90,
      computed: 72,
      overridden: true,
      label: "Score 90, set by a recruiter (scored 72)",
    });
    expect(scoreView({ score: null, override_score: 0 }).label).toBe("Score 0, set by a recruiter (not scored yet)");
    expect(scoreView({ score: 72, override_score: null })).toEqual({ shown: 72, computed: 72, overridden: false, label: "Score 72" });
    expect(scoreView({ score: null, override_score: null }).label).toBe("Not scored yet");
  });
});

describe("compactTags", () => {
  it("shows every tag that fits, and counts the rest in the last place", () => {
    expect(compactTags([], 3)).toEqual({ shown: [], more: [] });
    expect(compactTags(["a", "b", "c"], 3)).toEqual({ shown: ["a", "b", "c"], more: [] });
    expect(compactTags(["a", "b", "c", "d", "e"], 3)).toEqual({ shown: ["a", "b"], more: ["c", "d", "e"] });
    expect(compactTags(["a", "b"], 1)).toEqual({ shown: [], more: ["a", "b"] });
  });
});
