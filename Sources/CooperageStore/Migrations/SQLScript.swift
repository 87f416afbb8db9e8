import Foundation

/// Splits a SQL file into statements, since the extended query protocol runs one statement at a time.
///
/// Understands `'strings'`, `"identifiers"`, `$tag$ dollar quoting $tag$`, `-- line` and `/* block */` comments.
/// ```swift
/// SQLScript.statements(in: "CREATE TABLE a (x int); -- note\nSELECT ';';")
/// // ["CREATE TABLE a (x int)", "SELECT ';'"]
/// ```
public enum SQLScript {
    public static func statements(in script: String) -> [String] {
        let characters = Array(script.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0
        var hasContent = false

        func flush() {
            let text = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if hasContent && !text.isEmpty { statements.append(text) }
            current = String.UnicodeScalarView()
            hasContent = false
        }

        while index < characters.count {
            let character = characters[index]
            let next: Unicode.Scalar? = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "-" where next == "-":
                while index < characters.count && characters[index] != "\n" { index += 1 }
                continue
            case "/" where next == "*":
                var depth = 0
                repeat {
                    if characters[index] == "/" && index + 1 < characters.count && characters[index + 1] == "*" {
                        depth += 1
                        index += 2
                    } else if characters[index] == "*" && index + 1 < characters.count && characters[index + 1] == "/" {
                        depth -= 1
                        index += 2
                    } else {
                        index += 1
                    }
                } while depth > 0 && index < characters.count
                current.append(" ")
                continue
            case "'", "\"":
                var end = index + 1
                while end < characters.count {
                    if characters[end] == character {
                        // A doubled quote is an escaped quote inside the literal.
                        if end + 1 < characters.count && characters[end + 1] == character {
                            end += 2
                            continue
                        }
                        break
                    }
                    end += 1
                }
                current.append(contentsOf: characters[index...min(end, characters.count - 1)])
                hasContent = true
                index = end + 1
                continue
            case "$":
                if let tagEnd = dollarTagEnd(characters, from: index) {
                    let tag = Array(characters[index...tagEnd])
                    var end = tagEnd + 1
                    while end < characters.count {
                        if characters[end] == "$" && end + tag.count <= characters.count
                            && Array(characters[end..<end + tag.count]) == tag
                        {
                            break
                        }
                        end += 1
                    }
                    let last = min(end + tag.count - 1, characters.count - 1)
                    current.append(contentsOf: characters[index...last])
                    hasContent = true
                    index = last + 1
                    continue
                }
            case ";":
                flush()
                index += 1
                continue
            default:
                break
            }
            if !character.properties.isWhitespace { hasContent = true }
            current.append(character)
            index += 1
        }
        flush()
        return statements
    }

    /// The index of the closing `$` of a dollar-quote tag starting at `start` (`$$` or `$name$`), if it is one.
    private static func dollarTagEnd(_ characters: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        while index < characters.count {
            let character = characters[index]
            if character == "$" { return index }
            guard character == "_" || character.properties.isAlphabetic || (index > start + 1 && ("0"..."9").contains(character))
            else { return nil }
            index += 1
        }
        return nil
    }
}
