import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { DescriptorProto, EnumDescriptorProto, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';

/**
 * The comments written in `proto/`, by fully qualified name (`pkg.Message`, `pkg.Message.field`,
 * `pkg.Enum.VALUE`). Runtime descriptors carry no comments, so they are read from `buf build`.
 */
export function loadProtoComments(repoRoot: string): Map<string, string> {
  const image = execFileSync(join(repoRoot, 'node_modules/.bin/buf'), ['build', '-o', '-#format=binpb'], {
    cwd: repoRoot,
    maxBuffer: 64 << 20,
  });
  const set = fromBinary(FileDescriptorSetSchema, image);
  const comments = new Map<string, string>();
  for (const file of set.file) {
    if (file.name.startsWith('google/')) continue;
    const byPath = new Map<string, string>();
    for (const loc of file.sourceCodeInfo?.location ?? []) {
      const text = (loc.leadingComments || loc.trailingComments).trim();
      if (text) byPath.set(loc.path.join('.'), text.replace(/\s*\n\s*/g, ' '));
    }
    const visitEnum = (e: EnumDescriptorProto, path: string, prefix: string) => {
      const name = `${prefix}.${e.name}`;
      if (byPath.has(path)) comments.set(name, byPath.get(path)!);
      e.value.forEach(
        (v, i) => byPath.has(`${path}.2.${i}`) && comments.set(`${name}.${v.name}`, byPath.get(`${path}.2.${i}`)!),
      );
    };
    const visitMessage = (m: DescriptorProto, path: string, prefix: string) => {
      const name = `${prefix}.${m.name}`;
      if (byPath.has(path)) comments.set(name, byPath.get(path)!);
      m.field.forEach(
        (f, i) => byPath.has(`${path}.2.${i}`) && comments.set(`${name}.${f.name}`, byPath.get(`${path}.2.${i}`)!),
      );
      m.nestedType.forEach((n, i) => visitMessage(n, `${path}.3.${i}`, name));
      m.enumType.forEach((e, i) => visitEnum(e, `${path}.4.${i}`, name));
    };
    file.messageType.forEach((m, i) => visitMessage(m, `4.${i}`, file.package));
    file.enumType.forEach((e, i) => visitEnum(e, `5.${i}`, file.package));
  }
  return comments;
}
