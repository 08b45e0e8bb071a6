import { describe, expect, it } from "vitest";
import { corrections, formOf } from "./requirements";

const extracted = { required_skills: ["Python", "PostgreSQL"], preferred_skills: ["Kubernetes"], years: 5 };

describe("job requirements corrections", () => {
  it("sends nothing when the recruiter changed nothing, so a new description is read again", () => {
    expect(corrections(formOf(extracted), extracted, {})).toEqual({});
  });

  it("sends only the changed field", () => {
    const form = { ...formOf(extracted), required: "Python, PostgreSQL, Terraform" };
    expect(corrections(form, extracted, {})).toEqual({ required_skills: ["Python", "PostgreSQL", "Terraform"] });
  });

  it("keeps an earlier correction even when it now equals the reading", () => {
    const set = { years: 5 };
    expect(corrections(formOf(extracted), extracted, set)).toEqual({ years: 5 });
  });

  it("clearing the years sends null and trims list entries", () => {
    const form = { required: " Go ,, Rust ", preferred: "Kubernetes", years: "" };
    expect(corrections(form, extracted, {})).toEqual({ required_skills: ["Go", "Rust"], years: null });
  });
});
