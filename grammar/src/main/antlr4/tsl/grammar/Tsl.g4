/*
 * TSL's grammar: the part of Python 3 that Theano programs are written in.
 *
 * Indentation is turned into INDENT/DEDENT tokens by IndentationLexer (a delegate the
 * generated lexer hands every token to), which also drops NEWLINEs inside brackets and on
 * blank or comment-only lines. f-strings are lexed as one STRING token; the AST builder
 * parses the expressions inside the braces.
 */
grammar Tsl;

tokens { INDENT, DEDENT }

@lexer::members {
    private final IndentationLexer indentation = new IndentationLexer(this);
    @Override public Token nextToken() { return indentation.nextToken(); }
    /** The raw token stream, before indentation handling. */
    Token rawNextToken() { return super.nextToken(); }
}

// ---------------------------------------------------------------- statements

file_input   : (NEWLINE | stmt)* EOF ;
/** One REPL entry (a statement or a block), or nothing. */
single_input : NEWLINE | simple_stmts | compound_stmt NEWLINE? | EOF ;

stmt         : simple_stmts | compound_stmt ;
simple_stmts : simple_stmt (';' simple_stmt)* ';'? (NEWLINE | EOF) ;
simple_stmt  : expr_stmt | del_stmt | pass_stmt | break_stmt | continue_stmt | return_stmt
             | raise_stmt | import_stmt | global_stmt | nonlocal_stmt | assert_stmt ;

expr_stmt    : testlist_star_expr ( augassign testlist | ('=' testlist_star_expr)+ )? ;
augassign    : op=('+=' | '-=' | '*=' | '@=' | '/=' | '%=' | '&=' | '|=' | '^=' | '<<=' | '>>=' | '**=' | '//=') ;
del_stmt     : 'del' exprlist ;
pass_stmt    : 'pass' ;
break_stmt   : 'break' ;
continue_stmt: 'continue' ;
return_stmt  : 'return' testlist_star_expr? ;
raise_stmt   : 'raise' (test ('from' test)?)? ;
global_stmt  : 'global' NAME (',' NAME)* ;
nonlocal_stmt: 'nonlocal' NAME (',' NAME)* ;
assert_stmt  : 'assert' test (',' test)? ;

import_stmt  : 'import' dotted_as_name (',' dotted_as_name)*                        #importName
             | 'from' dotted_name 'import' ( star='*' | '(' import_as_names ','? ')' | import_as_names ) #importFrom
             ;
dotted_as_name  : dotted_name ('as' NAME)? ;
import_as_name  : NAME ('as' NAME)? ;
import_as_names : import_as_name (',' import_as_name)* ;
dotted_name     : NAME ('.' NAME)* ;

compound_stmt: if_stmt | while_stmt | for_stmt | try_stmt | with_stmt | funcdef | classdef | decorated ;
if_stmt      : 'if' test ':' block elif_clause* else_clause? ;
elif_clause  : 'elif' test ':' block ;
else_clause  : 'else' ':' block ;
while_stmt   : 'while' test ':' block else_clause? ;
for_stmt     : 'for' exprlist 'in' testlist ':' block else_clause? ;
try_stmt     : 'try' ':' block ( except_clause+ else_clause? finally_clause? | finally_clause ) ;
except_clause: 'except' (test ('as' NAME)?)? ':' block ;
finally_clause: 'finally' ':' block ;
with_stmt    : 'with' with_item (',' with_item)* ':' block ;
with_item    : test ('as' expr)? ;
decorated    : decorator+ (classdef | funcdef) ;
decorator    : '@' test NEWLINE ;
funcdef      : 'def' name=callable_name '(' parameters? ')' ('->' test)? ':' block ;
classdef     : 'class' name=callable_name ('(' arglist? ')')? ':' block ;
block        : simple_stmts | NEWLINE INDENT stmt+ DEDENT ;

parameters   : parameter (',' parameter)* ','? ;
parameter    : NAME (':' test)? ('=' test)?     #plainParam
             | '*' (NAME (':' test)?)?          #starParam
             | '**' NAME (':' test)?            #kwParam
             | '/'                              #positionalOnlyMarker
             ;
lambda_params: lambda_param (',' lambda_param)* ','? ;
lambda_param : NAME ('=' test)?                 #plainLambdaParam
             | '*' NAME?                        #starLambdaParam
             | '**' NAME                        #kwLambdaParam
             ;

// ---------------------------------------------------------------- expressions

test         : or_test ('if' or_test 'else' test)?   #conditionalTest
             | 'lambda' lambda_params? ':' test       #lambdaTest
             ;
test_nocond  : or_test | 'lambda' lambda_params? ':' test_nocond ;
or_test      : and_test ('or' and_test)* ;
and_test     : not_test ('and' not_test)* ;
not_test     : 'not' not_test | comparison ;
comparison   : expr (comp_op expr)* ;
comp_op      : '<' | '>' | '==' | '>=' | '<=' | '!=' | 'in' | 'not' 'in' | 'is' | 'is' 'not' ;
star_expr    : '*' expr ;

// Python's precedence, highest first; '**' is right-associative and binds tighter than a
// unary minus on its left (-x**2 == -(x**2)) but accepts one on its right (2**-1).
expr         : control_call trailer*                                #controlExpr
             | atom trailer*                                        #primaryExpr
             | <assoc=right> expr op='**' expr                      #binaryExpr
             | op=('+' | '-' | '~') expr                            #unaryExpr
             | expr op=('*' | '@' | '/' | '%' | '//') expr          #binaryExpr
             | expr op=('+' | '-') expr                             #binaryExpr
             | expr op=('<<' | '>>') expr                           #binaryExpr
             | expr op='&' expr                                     #binaryExpr
             | expr op='^' expr                                     #binaryExpr
             | expr op='|' expr                                     #binaryExpr
             ;

/** A name where a '(' may follow it: the soft keywords are names there too. */
callable_name: NAME | SCAN | IFELSE ;

/** {@code scan(...)} and {@code ifelse(...)}: the language's loop and lazy-condition constructs. */
control_call : keyword=(SCAN | IFELSE) '(' arglist? ')' ;

atom         : '(' (testlist_comp)? ')'                  #parenAtom
             | '[' (testlist_comp)? ']'                  #listAtom
             | '{' (dictorsetmaker)? '}'                 #dictOrSetAtom
             | NAME                                      #nameAtom
             | NUMBER                                    #numberAtom
             | STRING+                                   #stringAtom
             | '...'                                     #ellipsisAtom
             | 'None'                                    #noneAtom
             | 'True'                                    #trueAtom
             | 'False'                                   #falseAtom
             ;
testlist_comp: (test | star_expr) ( comp_for | (',' (test | star_expr))* (trailingComma=',')? ) ;
trailer      : '(' arglist? ')'                          #callTrailer
             | '[' subscriptlist ']'                     #subscriptTrailer
             | '.' callable_name                         #attributeTrailer
             ;
subscriptlist: subscript (',' subscript)* (trailingComma=',')? ;
subscript    : test                                      #indexSubscript
             | lower=test? ':' upper=test? (':' step=test?)?   #sliceSubscript
             ;
exprlist     : (expr | star_expr) (',' (expr | star_expr))* (trailingComma=',')? ;
testlist     : test (',' test)* (trailingComma=',')? ;
testlist_star_expr : (test | star_expr) (',' (test | star_expr))* (trailingComma=',')? ;
dictorsetmaker
             : dict_item ( comp_for | (',' dict_item)* ','? )             #dictMaker
             | (test | star_expr) ( comp_for | (',' (test | star_expr))* ','? ) #setMaker
             ;
dict_item    : test ':' test | '**' expr ;
arglist      : argument (',' argument)* ','? ;
argument     : test comp_for?                            #positionalArg
             | NAME '=' test                             #keywordArg
             | '**' test                                 #kwSplatArg
             | '*' test                                  #starArg
             ;
comp_for     : 'for' exprlist 'in' or_test comp_iter? ;
comp_iter    : comp_for | comp_if ;
comp_if      : 'if' test_nocond comp_iter? ;

// ---------------------------------------------------------------- tokens

NUMBER
  : ( '0' [xX] ('_'? HEX)+
    | '0' [oO] ('_'? [0-7])+
    | '0' [bB] ('_'? [01])+
    | DIGITS ('.' DIGITS? )? EXPONENT?
    | '.' DIGITS EXPONENT?
    ) [jJ]?
  ;
fragment DIGITS   : [0-9] ('_'? [0-9])* ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
fragment HEX      : [0-9a-fA-F] ;

STRING
  : STRING_PREFIX? ( '\'\'\'' LONG_CHAR_SQ*? '\'\'\''
                   | '"""' LONG_CHAR_DQ*? '"""'
                   | '\'' ( '\\' . | ~[\\\r\n'] )* '\''
                   | '"' ( '\\' . | ~[\\\r\n"] )* '"' )
  ;
fragment STRING_PREFIX : [rRbBuUfF] | [rR][bBfF] | [bBfF][rR] ;
fragment LONG_CHAR_SQ  : '\\' . | ~'\\' ;
fragment LONG_CHAR_DQ  : '\\' . | ~'\\' ;

OPEN_PAREN    : '(' ;
CLOSE_PAREN   : ')' ;
OPEN_BRACKET  : '[' ;
CLOSE_BRACKET : ']' ;
OPEN_BRACE    : '{' ;
CLOSE_BRACE   : '}' ;

/**
 * The soft keywords: {@code scan} and {@code ifelse} directly followed by '(' start the
 * constructs; anywhere else (a variable named scan, scan_fn, theano.scan) they are names.
 */
SCAN   : 'scan' {_input.LA(1) == '('}? ;
IFELSE : 'ifelse' {_input.LA(1) == '('}? ;

NAME : ID_START ID_CONTINUE* ;
fragment ID_START    : [\p{L}\p{Nl}_] ;
fragment ID_CONTINUE : [\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_] ;

/** A line break with the indentation of the next line; IndentationLexer decides what it means. */
NEWLINE      : ( '\r'? '\n' | '\r' | '\f' ) [ \t\f]* ;
LINE_JOIN    : '\\' [ \t]* ( '\r'? '\n' | '\r' ) -> skip ;
WS           : [ \t\f]+ -> skip ;
COMMENT      : '#' ~[\r\n\f]* -> skip ;
/** Anything else is reported by the parser as an unexpected character, with its position. */
ERROR_CHAR   : . ;
